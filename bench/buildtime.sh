#!/usr/bin/env bash
# Cold-cache build time, peak memory and binary size of the two equivalent
# programs cmd/ours (this SDK) and cmd/msgraph (msgraph-sdk-go).
#
# "Cold" means an empty GOCACHE (a fresh temporary directory per program, so
# the standard library is compiled too, on both sides alike); the module cache
# (GOMODCACHE) stays warm: sources are already downloaded, nothing is fetched.
# Peak RSS is /usr/bin/time's "Maximum resident set size": the largest single
# process of the build (go build runs the compiler as child processes), not
# the sum of processes running at once.
#
# Usage: bash bench/buildtime.sh [ours|msgraph]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")"

progs=("$@")
[ ${#progs[@]} -gt 0 ] || progs=(ours msgraph)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go mod download

echo "go: $(go version)  GOMAXPROCS/cores: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %12s %12s %14s %14s %14s\n' program wall_s cpu_s peak_rss_MiB binary_bytes stripped_bytes
for p in "${progs[@]}"; do
	cache="$out/gocache-$p"
	mkdir -p "$cache"
	start=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		GOCACHE="$cache" /usr/bin/time -v -o "$out/time-$p" go build -o "$out/$p" "./cmd/$p"
		wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')
		cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f", u+s}' "$out/time-$p")
		rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$out/time-$p")
	else
		GOCACHE="$cache" go build -o "$out/$p" "./cmd/$p"
		wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')
		cpu=n/a rss=n/a
	fi
	size=$(stat -c %s "$out/$p")
	# Stripped size (-s -w): links from the now warm cache.
	GOCACHE="$cache" go build -ldflags='-s -w' -o "$out/$p-stripped" "./cmd/$p"
	stripped=$(stat -c %s "$out/$p-stripped")
	printf '%-8s %12s %12s %14s %14s %14s\n' "$p" "$wall" "$cpu" "$rss" "$size" "$stripped"
	rm -rf "$cache"
done
