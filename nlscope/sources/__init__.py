"""Where frames come from: capture files (pcap, pcapng, gzip, stdin) and, later, live nlmon."""
from .capture import CaptureError, Frame, read_capture

__all__ = ["CaptureError", "Frame", "read_capture"]
