"""Pictures for the photo tests, made with Pillow: with EXIF and a GPS position, turned by an
EXIF orientation, and hostile ones (a decompression bomb, a truncated file)."""

import io
import struct
import zlib

from PIL import ExifTags, Image, PngImagePlugin

# Larvik church, roughly: where a careless phone says the photo was taken.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (59.0, 3.0, 12.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (10.0, 1.0, 48.0),
}


def exif_with_gps(*, orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Model] = "Camera 12"
    exif[ExifTags.Base.Artist] = "Ingrid Innbygger"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return exif


def picture(size=(40, 30), mode="RGB") -> Image.Image:
    """Left half red, right half blue: a turn shows in the pixels."""
    image = Image.new(mode, size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    return image


def png_with_gps(size=(40, 30), mode="RGB") -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Taken in my garden")
    buffer = io.BytesIO()
    picture(size, mode).save(
        buffer, "PNG", exif=exif_with_gps(), pnginfo=info, icc_profile=b"\x00" * 128
    )
    return buffer.getvalue()


def jpeg_with_gps(size=(40, 30), *, orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, "JPEG", exif=exif_with_gps(orientation=orientation), quality=95)
    return buffer.getvalue()


def webp_with_gps(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, "WEBP", exif=exif_with_gps(), xmp=b"<x:xmpmeta>home</x:xmpmeta>")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header claiming ``width`` × ``height`` pixels, in a few dozen bytes: opening
    it is cheap, decoding it would take gigabytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    return jpeg_with_gps((200, 200))[:300]


def has_gps_or_exif(content: bytes) -> bool:
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        return bool(
            len(exif)
            or exif.get_ifd(ExifTags.IFD.GPSInfo)
            or "exif" in image.info
            or "xmp" in image.info
            or "XML:com.adobe.xmp" in image.info
            or "icc_profile" in image.info
            or "Comment" in image.info
        )
