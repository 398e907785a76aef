#!/usr/bin/env bash
# Installs the Debian packages Vigil's tests and demo use, only those missing; safe to run again.
#   GStreamer RTSP server  real RTSP cameras in tests and the demo (driven by /usr/bin/python3 + gi)
#   ffmpeg                 the baseline of `vigil bench ingest`
#   prometheus, promtool   dashboards and alert rules checked against a real Prometheus
#   chromium               the live alerts page tested in a real browser
#   docker-compose         validates docker-compose.yml without a Docker engine
#   mosquitto(-clients)    a real MQTT broker and mosquitto_sub for the alerts' MQTT sink
# `setup-debian.sh demo` installs only what `vigil demo` needs (the sample camera).
set -euo pipefail
demo=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad ffmpeg)
if [[ "${1:-all}" == demo ]]; then
  packages=("${demo[@]}")
else
  packages=("${demo[@]}" gstreamer1.0-tools prometheus chromium docker-compose mosquitto mosquitto-clients)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
# The Debian prometheus package starts a system service on :9090 where systemd runs; tests use their own instance.
