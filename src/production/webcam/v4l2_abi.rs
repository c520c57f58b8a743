//! The few `linux/videodev2.h` structures and ioctl numbers the capture uses, laid out as the kernel UAPI
//! header has them (checked against it with a C program on x86_64: sizes 104, 208, 20, 88 and 64 bytes,
//! and the ioctl numbers in the tests).

// linux/videodev2.h constants.
pub const V4L2_BUF_TYPE_VIDEO_CAPTURE: u32 = 1;
pub const V4L2_MEMORY_MMAP: u32 = 1;
pub const V4L2_FIELD_ANY: u32 = 0;
pub const V4L2_CAP_VIDEO_CAPTURE: u32 = 0x0000_0001;
pub const V4L2_CAP_STREAMING: u32 = 0x0400_0000;
pub const V4L2_CAP_DEVICE_CAPS: u32 = 0x8000_0000;
pub const V4L2_BUF_FLAG_ERROR: u32 = 0x0000_0040;

/// `struct v4l2_capability`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Capability {
    pub driver: [u8; 16],
    pub card: [u8; 32],
    pub bus_info: [u8; 32],
    pub version: u32,
    pub capabilities: u32,
    pub device_caps: u32,
    pub reserved: [u32; 3],
}

impl Capability {
    /// The capabilities of this node: `device_caps` when the driver fills it (the node may be, say, the
    /// metadata half of a UVC camera), else the whole device's.
    pub fn node_caps(&self) -> u32 {
        if self.capabilities & V4L2_CAP_DEVICE_CAPS != 0 {
            self.device_caps
        } else {
            self.capabilities
        }
    }

    /// Whether this node streams video frames.
    pub fn is_streaming_capture(&self) -> bool {
        let caps = self.node_caps();
        caps & V4L2_CAP_VIDEO_CAPTURE != 0 && caps & V4L2_CAP_STREAMING != 0
    }

    pub fn card_name(&self) -> String {
        c_string(&self.card)
    }
}

/// `struct v4l2_fmtdesc`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct FmtDesc {
    pub index: u32,
    pub type_: u32,
    pub flags: u32,
    pub description: [u8; 32],
    pub pixelformat: u32,
    pub mbus_code: u32,
    pub reserved: [u32; 3],
}

/// `struct v4l2_pix_format`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct PixFormat {
    pub width: u32,
    pub height: u32,
    pub pixelformat: u32,
    pub field: u32,
    pub bytesperline: u32,
    pub sizeimage: u32,
    pub colorspace: u32,
    pub priv_: u32,
    pub flags: u32,
    pub ycbcr_enc: u32,
    pub quantization: u32,
    pub xfer_func: u32,
}

/// `struct v4l2_format` reduced to its `pix` member. The kernel's union holds pointers (`v4l2_window`), so
/// it is pointer-aligned: the zero-sized `c_ulong` array reproduces that alignment, and `rest` pads the
/// union to its 200 bytes.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Format {
    pub type_: u32,
    _align: [libc::c_ulong; 0],
    pub pix: PixFormat,
    rest: [u8; 200 - size_of::<PixFormat>()],
}

/// `struct v4l2_requestbuffers`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct RequestBuffers {
    pub count: u32,
    pub type_: u32,
    pub memory: u32,
    pub capabilities: u32,
    pub flags: u8,
    pub reserved: [u8; 3],
}

/// `struct v4l2_timecode`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Timecode {
    pub type_: u32,
    pub flags: u32,
    pub frames: u8,
    pub seconds: u8,
    pub minutes: u8,
    pub hours: u8,
    pub userbits: [u8; 4],
}

/// The `m` union of `struct v4l2_buffer`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union BufferM {
    pub offset: u32,
    pub userptr: libc::c_ulong,
    pub fd: i32,
}

/// `struct v4l2_buffer`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Buffer {
    pub index: u32,
    pub type_: u32,
    pub bytesused: u32,
    pub flags: u32,
    pub field: u32,
    pub timestamp: libc::timeval,
    pub timecode: Timecode,
    pub sequence: u32,
    pub memory: u32,
    pub m: BufferM,
    pub length: u32,
    pub reserved2: u32,
    pub request_fd: i32,
}

impl Buffer {
    pub fn mmap_capture(index: u32) -> Buffer {
        Buffer {
            index,
            type_: V4L2_BUF_TYPE_VIDEO_CAPTURE,
            bytesused: 0,
            flags: 0,
            field: 0,
            timestamp: libc::timeval {
                tv_sec: 0,
                tv_usec: 0,
            },
            timecode: Timecode::default(),
            sequence: 0,
            memory: V4L2_MEMORY_MMAP,
            m: BufferM { userptr: 0 },
            length: 0,
            reserved2: 0,
            request_fd: 0,
        }
    }
}

/// Whether this architecture uses the powerpc/mips/sparc `_IOC` layout rather than asm-generic/ioctl.h's.
pub const ALT_IOC_LAYOUT: bool = cfg!(any(
    target_arch = "powerpc",
    target_arch = "powerpc64",
    target_arch = "mips",
    target_arch = "mips64",
    target_arch = "sparc",
    target_arch = "sparc64"
));

mod ioc {
    use super::ALT_IOC_LAYOUT;
    pub const SIZE_BITS: u32 = if ALT_IOC_LAYOUT { 13 } else { 14 };
    pub const WRITE: u32 = if ALT_IOC_LAYOUT { 4 } else { 1 };
    pub const READ: u32 = 2;
}

/// `_IOC(dir, 'V', nr, size)`.
pub const fn vidioc(dir: u32, nr: u32, size: usize) -> u32 {
    (dir << (16 + ioc::SIZE_BITS)) | ((size as u32) << 16) | ((b'V' as u32) << 8) | nr
}

pub const VIDIOC_QUERYCAP: u32 = vidioc(ioc::READ, 0, size_of::<Capability>());
pub const VIDIOC_ENUM_FMT: u32 = vidioc(ioc::READ | ioc::WRITE, 2, size_of::<FmtDesc>());
pub const VIDIOC_S_FMT: u32 = vidioc(ioc::READ | ioc::WRITE, 5, size_of::<Format>());
pub const VIDIOC_REQBUFS: u32 = vidioc(ioc::READ | ioc::WRITE, 8, size_of::<RequestBuffers>());
pub const VIDIOC_QUERYBUF: u32 = vidioc(ioc::READ | ioc::WRITE, 9, size_of::<Buffer>());
pub const VIDIOC_QBUF: u32 = vidioc(ioc::READ | ioc::WRITE, 15, size_of::<Buffer>());
pub const VIDIOC_DQBUF: u32 = vidioc(ioc::READ | ioc::WRITE, 17, size_of::<Buffer>());
pub const VIDIOC_STREAMON: u32 = vidioc(ioc::WRITE, 18, size_of::<libc::c_int>());
pub const VIDIOC_STREAMOFF: u32 = vidioc(ioc::WRITE, 19, size_of::<libc::c_int>());

/// An all-zero value of one of the structures above.
pub fn zeroed<T: Copy>() -> T {
    // SAFETY: only used for the plain-data `#[repr(C)]` structures above, for which all-zero bytes are a
    // valid value (integers, byte arrays, a union of integers, timeval).
    unsafe { std::mem::zeroed() }
}

/// A NUL-terminated byte field as text.
pub fn c_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(bytes.get(..end).unwrap_or_default())
        .trim()
        .to_string()
}
