#!/usr/bin/env bash
# Starts the exporter against the simulated account, waits for its first poll, and lints /metrics with
# promtool: `promtool check metrics` must report nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
work=$(mktemp -d)
node exporter/bin/exporter.js --demo --web.listen-address="127.0.0.1:${port}" --storage.path="${work}/store.db" --poll.interval=10s \
  >"${work}/exporter.log" 2>&1 &
pid=$!
trap 'kill ${pid} 2>/dev/null || true; wait ${pid} 2>/dev/null || true; rm -rf "${work}"' EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:${port}/-/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pid}" 2>/dev/null; then echo "exporter exited:"; cat "${work}/exporter.log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:${port}/-/ready" >/dev/null || { echo "exporter not ready after 60 s"; tail -20 "${work}/exporter.log"; exit 1; }

curl -fsS "http://127.0.0.1:${port}/metrics" >"${work}/metrics.txt"
series=$(grep -vc '^#' "${work}/metrics.txt")
problems=$(promtool check metrics <"${work}/metrics.txt" 2>&1 || true)
if [ -n "${problems}" ]; then
  echo "promtool check metrics reported problems:"
  echo "${problems}"
  exit 1
fi
echo "promtool check metrics: clean (${series} series)"
