#!/usr/bin/python3
"""A real RTSP camera for Vigil's tests and demo: GStreamer's RTSP server (Debian gir1.2-gst-rtsp-server-1.0)
looping an Annex-B H.264 file forever with monotonic timestamps.

The file is split into access units here and pushed through appsrc at the given frame rate, so every client
sees a live stream whose timestamps keep growing across loops (a plain filesrc loop would restart them at 0).

usage: rtsp_server.py --file clip.h264 --port 8554 --path /cam --fps 10
Prints "READY rtsp://127.0.0.1:PORT/PATH" on stdout once it listens.
"""
import argparse
import signal
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def access_units(data):
    """Splits an Annex-B H.264 stream into access units (standard AU boundary rules)."""
    starts = []
    i, n = 0, len(data)
    while i + 3 <= n:
        if data[i] == 0 and data[i + 1] == 0 and data[i + 2] == 1:
            begin = i - 1 if i > 0 and data[i - 1] == 0 else i
            starts.append((begin, i + 3))
            i += 3
        else:
            i += 1
    nals = []
    for k, (begin, payload) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else n
        nals.append((data[payload] & 0x1F, data[payload + 1] if payload + 1 < n else 0, data[begin:end]))
    units, current, seen_vcl = [], [], False
    for nal_type, first_byte, raw in nals:
        vcl = nal_type in (1, 5)
        new_au = seen_vcl and (nal_type in (6, 7, 8, 9) or (vcl and first_byte & 0x80))
        if new_au:
            units.append(b"".join(current))
            current, seen_vcl = [], False
        current.append(raw)
        seen_vcl = seen_vcl or vcl
    if current:
        units.append(b"".join(current))
    return units


class LoopingFactory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, units, fps):
        super().__init__()
        self.units = units
        self.duration = Gst.SECOND // fps
        self.set_shared(True)

    def do_create_element(self, url):
        return Gst.parse_launch(
            "( appsrc name=src is-live=true format=time "
            "caps=video/x-h264,stream-format=byte-stream,alignment=au "
            "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )")

    def do_configure(self, media):
        src = media.get_element().get_child_by_name("src")
        state = {"i": 0, "start": None}

        def need_data(appsrc, _length):
            k = state["i"]
            # pace to real time, like a camera: never send a frame before its time
            if state["start"] is None:
                state["start"] = time.monotonic()
            delay = state["start"] + k * self.duration / Gst.SECOND - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            buf = Gst.Buffer.new_wrapped(self.units[k % len(self.units)])
            buf.pts = buf.dts = k * self.duration
            buf.duration = self.duration
            state["i"] = k + 1
            appsrc.emit("push-buffer", buf)

        src.connect("need-data", need_data)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--file", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", default="/cam")
    p.add_argument("--fps", type=int, default=10)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in a container)")
    a = p.parse_args()
    Gst.init(None)
    with open(a.file, "rb") as f:
        units = access_units(f.read())
    if not units:
        sys.exit("no H.264 access units in " + a.file)
    server = GstRtspServer.RTSPServer()
    server.set_address(a.host)
    server.set_service(str(a.port))
    server.get_mount_points().add_factory(a.path, LoopingFactory(units, a.fps))
    if server.attach(None) == 0:
        sys.exit("cannot listen on 127.0.0.1:%d" % a.port)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print("READY rtsp://%s:%d%s (%d access units at %d fps)" % (a.host, a.port, a.path, len(units), a.fps), flush=True)
    loop.run()


if __name__ == "__main__":
    main()
