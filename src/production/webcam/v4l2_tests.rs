use std::mem::{align_of, offset_of, size_of};

use super::*;

/// Sizes from `sizeof` in a C program including <linux/videodev2.h> (x86_64, kernel UAPI headers).
#[cfg(target_pointer_width = "64")]
#[test]
fn structure_layouts_match_the_kernel_abi() {
    assert_eq!(size_of::<Capability>(), 104);
    assert_eq!(offset_of!(Capability, capabilities), 84);
    assert_eq!(offset_of!(Capability, device_caps), 88);
    assert_eq!(size_of::<FmtDesc>(), 64);
    assert_eq!(size_of::<PixFormat>(), 48);
    assert_eq!(size_of::<Format>(), 208);
    assert_eq!(offset_of!(Format, pix), 8);
    assert_eq!(align_of::<Format>(), 8);
    assert_eq!(size_of::<RequestBuffers>(), 20);
    assert_eq!(size_of::<Buffer>(), 88);
    assert_eq!(offset_of!(Buffer, bytesused), 8);
    assert_eq!(offset_of!(Buffer, field), 16);
    assert_eq!(offset_of!(Buffer, timestamp), 24);
    assert_eq!(offset_of!(Buffer, timecode), 40);
    assert_eq!(offset_of!(Buffer, sequence), 56);
    assert_eq!(offset_of!(Buffer, memory), 60);
    assert_eq!(offset_of!(Buffer, m), 64);
    assert_eq!(offset_of!(Buffer, length), 72);
    assert_eq!(offset_of!(Buffer, reserved2), 76);
}

/// The values of the VIDIOC_* macros printed by the same C program (asm-generic ioctl encoding, 64-bit).
#[cfg(all(
    target_pointer_width = "64",
    not(any(
        target_arch = "powerpc64",
        target_arch = "mips64",
        target_arch = "sparc64"
    ))
))]
#[test]
fn ioctl_numbers_match_the_kernel_headers() {
    assert_eq!(VIDIOC_QUERYCAP, 0x8068_5600);
    assert_eq!(VIDIOC_ENUM_FMT, 0xc040_5602);
    assert_eq!(VIDIOC_S_FMT, 0xc0d0_5605);
    assert_eq!(VIDIOC_REQBUFS, 0xc014_5608);
    assert_eq!(VIDIOC_QUERYBUF, 0xc058_5609);
    assert_eq!(VIDIOC_QBUF, 0xc058_560f);
    assert_eq!(VIDIOC_DQBUF, 0xc058_5611);
    assert_eq!(VIDIOC_STREAMON, 0x4004_5612);
    assert_eq!(VIDIOC_STREAMOFF, 0x4004_5613);
}

fn capability(capabilities: u32, device_caps: u32) -> Capability {
    let mut cap: Capability = zeroed();
    cap.capabilities = capabilities;
    cap.device_caps = device_caps;
    cap.card[..11].copy_from_slice(b"HD Webcam \0");
    cap
}

#[test]
fn capture_nodes_are_told_from_metadata_nodes() {
    let both = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
    // A UVC camera: device-wide caps include capture, but this node is the metadata one.
    let meta = capability(
        both | 0x0080_0000 | V4L2_CAP_DEVICE_CAPS,
        0x0080_0000 | V4L2_CAP_STREAMING,
    );
    assert!(!meta.is_streaming_capture());
    assert!(capability(both | V4L2_CAP_DEVICE_CAPS, both).is_streaming_capture());
    // Old drivers without device_caps.
    assert!(capability(both, 0).is_streaming_capture());
    assert!(!capability(V4L2_CAP_VIDEO_CAPTURE, 0).is_streaming_capture());
    assert_eq!(capability(both, 0).card_name(), "HD Webcam");
}

#[test]
fn text_fields_and_node_names() {
    assert_eq!(c_string(b"uvcvideo\0\0garbage"), "uvcvideo");
    assert_eq!(c_string(b"no terminator"), "no terminator");
    assert_eq!(c_string(&[0xff, 0xfe, 0]), "\u{fffd}\u{fffd}");
    assert_eq!(video_number("video0"), Some(0));
    assert_eq!(video_number("video12"), Some(12));
    assert_eq!(video_number("video"), None);
    assert_eq!(video_number("video-1"), None);
    assert_eq!(video_number("vbi0"), None);
}

#[test]
fn opening_something_that_is_not_a_camera_fails_cleanly() {
    assert!(matches!(
        Camera::open(Path::new("/dev/null")),
        Err(WebcamError::NotCapture { .. })
    ));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("video0");
    std::fs::write(&file, b"not a device").expect("write");
    assert!(matches!(
        Camera::open(&file),
        Err(WebcamError::NotCapture { .. })
    ));
    assert!(matches!(
        Camera::open(&dir.path().join("missing")),
        Err(WebcamError::Open { .. })
    ));
}
