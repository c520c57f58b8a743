//! V4L2 capture by hand: the few `linux/videodev2.h` structures and ioctls a UVC webcam needs, memory-mapped
//! streaming, `poll` with a timeout so a stalled camera never blocks the caller, and clean-up on `Drop`.
//!
//! The kernel structures are in `v4l2_abi.rs`. Only the single-planar capture API is used, which every UVC
//! driver implements.

use std::ffi::c_void;
use std::fs::OpenOptions;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::time::{Duration, Instant};

use image::RgbImage;

use super::convert::{self, PixelFormat};
use abi::*;

#[path = "v4l2_abi.rs"]
mod abi;
use super::{DeviceInfo, FrameSource, WebcamError};

/// Resolution asked for; the driver answers with the nearest it has. 1280x720 leaves room to zoom on the
/// face (the crop needs at least 300x376 source pixels) while still streaming at a usable rate in YUYV.
const WANTED_WIDTH: u32 = 1280;
const WANTED_HEIGHT: u32 = 720;
/// Buffers in the capture queue.
const BUFFER_COUNT: u32 = 4;
/// Longest wait for one frame. Cameras take up to a second or two to deliver the first frame after
/// STREAMON (auto-exposure), so this is generous; a stalled device still gives an error, not a hang.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(4);

/// Runs one ioctl, retrying when a signal interrupts it.
///
/// # Safety
/// `T` must be the structure the kernel expects for `request` (the size encoded in the request number).
unsafe fn xioctl<T>(fd: RawFd, request: u32, arg: &mut T) -> io::Result<()> {
    loop {
        // SAFETY: `arg` is a valid, exclusively borrowed `T` of the size encoded in `request` (caller).
        let rc = unsafe { libc::ioctl(fd, request as libc::Ioctl, arg as *mut T) };
        if rc != -1 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

fn ioctl_error(op: &'static str, e: &io::Error) -> WebcamError {
    if e.raw_os_error() == Some(libc::ENODEV) {
        WebcamError::Disconnected
    } else {
        WebcamError::Ioctl {
            op,
            message: e.to_string(),
        }
    }
}

/// Opens a node non-blocking (frames are waited for with `poll`).
fn open_node(path: &Path) -> Result<OwnedFd, WebcamError> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map(OwnedFd::from)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::EACCES) | Some(libc::EPERM) => WebcamError::PermissionDenied {
                path: path.to_path_buf(),
            },
            Some(libc::EBUSY) => WebcamError::Busy {
                path: path.to_path_buf(),
            },
            _ => WebcamError::Open {
                path: path.to_path_buf(),
                message: e.to_string(),
            },
        })
}

fn query_cap(fd: RawFd) -> io::Result<Capability> {
    let mut cap: Capability = zeroed();
    // SAFETY: VIDIOC_QUERYCAP takes a `v4l2_capability`.
    unsafe { xioctl(fd, VIDIOC_QUERYCAP, &mut cap) }?;
    Ok(cap)
}

/// The number in `/dev/videoN`, for nodes named so.
fn video_number(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("video")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// See [`super::devices`].
pub fn devices() -> Vec<DeviceInfo> {
    let Ok(dir) = std::fs::read_dir("/dev") else {
        return Vec::new();
    };
    let mut nodes: Vec<(u32, PathBuf)> = dir
        .filter_map(Result::ok)
        .filter_map(|e| Some((video_number(e.file_name().to_str()?)?, e.path())))
        .collect();
    nodes.sort();
    nodes
        .into_iter()
        .filter_map(|(n, path)| match open_node(&path) {
            Ok(fd) => {
                let cap = query_cap(fd.as_raw_fd()).ok()?;
                cap.is_streaming_capture().then(|| DeviceInfo {
                    name: cap.card_name(),
                    path,
                })
            }
            Err(WebcamError::PermissionDenied { .. }) => {
                let name = std::fs::read_to_string(format!("/sys/class/video4linux/video{n}/name"))
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                Some(DeviceInfo { path, name })
            }
            Err(_) => None,
        })
        .collect()
}

/// The formats a node offers for capture (`VIDIOC_ENUM_FMT` until EINVAL).
fn offered_formats(fd: RawFd) -> Vec<u32> {
    let mut out = Vec::new();
    for index in 0..64 {
        let mut desc: FmtDesc = zeroed();
        desc.index = index;
        desc.type_ = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        // SAFETY: VIDIOC_ENUM_FMT takes a `v4l2_fmtdesc`.
        if unsafe { xioctl(fd, VIDIOC_ENUM_FMT, &mut desc) }.is_err() {
            break;
        }
        out.push(desc.pixelformat);
    }
    out
}

/// One memory-mapped capture buffer, unmapped on drop.
struct Mapping {
    ptr: NonNull<c_void>,
    len: usize,
}

// SAFETY: the mapping is owned by one `Camera` and only read through `&mut Camera`; moving it to another
// thread moves that exclusive ownership with it.
unsafe impl Send for Mapping {}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `ptr`/`len` come from a successful mmap and are unmapped exactly once.
        unsafe { libc::munmap(self.ptr.as_ptr(), self.len) };
    }
}

/// An open, streaming V4L2 camera.
pub struct Camera {
    // Declared before `fd`: mappings are released before the descriptor closes.
    buffers: Vec<Mapping>,
    fd: OwnedFd,
    name: String,
    format: PixelFormat,
    pix: PixFormat,
    streaming: bool,
}

impl Camera {
    /// Opens `path`, negotiates YUYV (else MJPG) near 1280x720, maps the buffers and starts streaming.
    pub fn open(path: &Path) -> Result<Camera, WebcamError> {
        let fd = open_node(path)?;
        let raw = fd.as_raw_fd();
        let cap = query_cap(raw).map_err(|_| WebcamError::NotCapture {
            path: path.to_path_buf(),
        })?;
        if !cap.is_streaming_capture() {
            return Err(WebcamError::NotCapture {
                path: path.to_path_buf(),
            });
        }
        let offered = offered_formats(raw);
        let mut chosen = None;
        for wanted in convert::preferred_formats(&offered) {
            let mut fmt: Format = zeroed();
            fmt.type_ = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            fmt.pix.width = WANTED_WIDTH;
            fmt.pix.height = WANTED_HEIGHT;
            fmt.pix.pixelformat = wanted.fourcc();
            fmt.pix.field = V4L2_FIELD_ANY;
            // SAFETY: VIDIOC_S_FMT takes a `v4l2_format`.
            unsafe { xioctl(raw, VIDIOC_S_FMT, &mut fmt) }
                .map_err(|e| ioctl_error("VIDIOC_S_FMT", &e))?;
            if let Some(got) = PixelFormat::from_fourcc(fmt.pix.pixelformat) {
                chosen = Some((got, fmt.pix));
                break;
            }
        }
        let Some((format, pix)) = chosen else {
            return Err(WebcamError::NoFormat {
                path: path.to_path_buf(),
                offered: offered
                    .iter()
                    .map(|&c| convert::fourcc_name(c))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let mut camera = Camera {
            buffers: Vec::new(),
            fd,
            name: cap.card_name(),
            format,
            pix,
            streaming: false,
        };
        camera.map_buffers()?;
        camera.start()?;
        Ok(camera)
    }

    fn map_buffers(&mut self) -> Result<(), WebcamError> {
        let raw = self.fd.as_raw_fd();
        let mut req = RequestBuffers {
            count: BUFFER_COUNT,
            type_: V4L2_BUF_TYPE_VIDEO_CAPTURE,
            memory: V4L2_MEMORY_MMAP,
            ..RequestBuffers::default()
        };
        // SAFETY: VIDIOC_REQBUFS takes a `v4l2_requestbuffers`.
        unsafe { xioctl(raw, VIDIOC_REQBUFS, &mut req) }
            .map_err(|e| ioctl_error("VIDIOC_REQBUFS", &e))?;
        if req.count == 0 {
            return Err(WebcamError::Ioctl {
                op: "VIDIOC_REQBUFS",
                message: "the driver granted no buffer".to_string(),
            });
        }
        for index in 0..req.count {
            let mut buf = Buffer::mmap_capture(index);
            // SAFETY: VIDIOC_QUERYBUF takes a `v4l2_buffer`.
            unsafe { xioctl(raw, VIDIOC_QUERYBUF, &mut buf) }
                .map_err(|e| ioctl_error("VIDIOC_QUERYBUF", &e))?;
            // SAFETY: for MMAP buffers the kernel filled the `offset` member of the union.
            let offset = unsafe { buf.m.offset };
            let len = buf.length as usize;
            // SAFETY: mapping a buffer the driver just described, shared read-only; checked below.
            let ptr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_SHARED,
                    raw,
                    offset as libc::off_t,
                )
            };
            if ptr == libc::MAP_FAILED || len == 0 {
                return Err(WebcamError::Ioctl {
                    op: "mmap",
                    message: io::Error::last_os_error().to_string(),
                });
            }
            let ptr = NonNull::new(ptr).ok_or_else(|| WebcamError::Ioctl {
                op: "mmap",
                message: "null mapping".to_string(),
            })?;
            self.buffers.push(Mapping { ptr, len });
        }
        Ok(())
    }

    fn queue(&self, index: u32) -> Result<(), WebcamError> {
        let mut buf = Buffer::mmap_capture(index);
        // SAFETY: VIDIOC_QBUF takes a `v4l2_buffer`.
        unsafe { xioctl(self.fd.as_raw_fd(), VIDIOC_QBUF, &mut buf) }
            .map_err(|e| ioctl_error("VIDIOC_QBUF", &e))
    }

    fn start(&mut self) -> Result<(), WebcamError> {
        for index in 0..self.buffers.len() {
            self.queue(u32::try_from(index).unwrap_or(u32::MAX))?;
        }
        let mut kind = V4L2_BUF_TYPE_VIDEO_CAPTURE as libc::c_int;
        // SAFETY: VIDIOC_STREAMON takes an `int` buffer type.
        unsafe { xioctl(self.fd.as_raw_fd(), VIDIOC_STREAMON, &mut kind) }
            .map_err(|e| ioctl_error("VIDIOC_STREAMON", &e))?;
        self.streaming = true;
        Ok(())
    }

    /// Waits until a filled buffer can be dequeued, or the deadline passes.
    fn dequeue(&self, deadline: Instant) -> Result<Buffer, WebcamError> {
        let raw = self.fd.as_raw_fd();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(WebcamError::Timeout {
                    millis: FRAME_TIMEOUT.as_millis() as u64,
                });
            }
            let mut pfd = libc::pollfd {
                fd: raw,
                events: libc::POLLIN,
                revents: 0,
            };
            let millis = libc::c_int::try_from(left.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
            // SAFETY: one valid pollfd.
            let rc = unsafe { libc::poll(&mut pfd, 1, millis) };
            if rc == -1 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(ioctl_error("poll", &e));
            }
            if rc == 0 {
                continue; // the deadline check above reports the timeout
            }
            if pfd.revents & (libc::POLLERR | libc::POLLHUP | libc::POLLNVAL) != 0
                && pfd.revents & libc::POLLIN == 0
            {
                return Err(WebcamError::Disconnected);
            }
            let mut buf = Buffer::mmap_capture(0);
            // SAFETY: VIDIOC_DQBUF takes a `v4l2_buffer`.
            match unsafe { xioctl(raw, VIDIOC_DQBUF, &mut buf) } {
                Ok(()) => return Ok(buf),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(ioctl_error("VIDIOC_DQBUF", &e)),
            }
        }
    }

    /// Converts the frame in buffer `buf`.
    fn convert(&self, buf: &Buffer) -> Result<RgbImage, WebcamError> {
        let mapping = self
            .buffers
            .get(buf.index as usize)
            .ok_or_else(|| WebcamError::Frame(format!("unknown buffer {}", buf.index)))?;
        // Some drivers leave `bytesused` at 0 for uncompressed formats, meaning "the whole buffer".
        let used = match (self.format, buf.bytesused) {
            (PixelFormat::Yuyv, 0) => mapping.len,
            (_, n) => (n as usize).min(mapping.len),
        };
        // SAFETY: the buffer is dequeued, so the driver does not write it until we queue it again, and
        // `used` is within the mapping.
        let data = unsafe { std::slice::from_raw_parts(mapping.ptr.as_ptr().cast::<u8>(), used) };
        match self.format {
            PixelFormat::Yuyv => {
                convert::yuyv_to_rgb(data, self.pix.width, self.pix.height, self.pix.bytesperline)
            }
            PixelFormat::Mjpeg(_) => convert::mjpeg_to_rgb(data),
        }
    }
}

impl FrameSource for Camera {
    fn next_frame(&mut self) -> Result<RgbImage, WebcamError> {
        let deadline = Instant::now() + FRAME_TIMEOUT;
        loop {
            let buf = self.dequeue(deadline)?;
            let frame = if buf.flags & V4L2_BUF_FLAG_ERROR != 0 {
                None // a damaged frame: give the buffer back and wait for the next one
            } else {
                Some(self.convert(&buf))
            };
            self.queue(buf.index)?;
            if let Some(frame) = frame {
                return frame;
            }
        }
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        if self.streaming {
            let mut kind = V4L2_BUF_TYPE_VIDEO_CAPTURE as libc::c_int;
            // SAFETY: VIDIOC_STREAMOFF takes an `int` buffer type. Failure leaves nothing to undo.
            let _ = unsafe { xioctl(self.fd.as_raw_fd(), VIDIOC_STREAMOFF, &mut kind) };
        }
        // Fields drop next: the mappings are unmapped, then the descriptor is closed.
    }
}

#[cfg(test)]
#[path = "v4l2_tests.rs"]
mod tests;
