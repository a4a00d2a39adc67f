# Shared by the measurement scripts (bench.sh, scaling.sh, paired.sh); sourced, not run.

# The runs per second in a throughput benchmark's or the yardstick's output line (stdin).
speed() { sed -E 's/.*runs_per_s=([0-9]+).*/\1/'; }

# The median of the numbers in file $1, one per line.
median() {
  sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Builds the throughput benchmark and sets BENCH to its path.
build_bench() {
  cargo bench --bench throughput --no-run --quiet 2>/dev/null
  BENCH=$(ls -t target/release/deps/throughput-* | grep -v '\.d$' | head -1)
}

# Copies the yardstick (YARDSTICK, default ../shared/bench/limit) to target/yardstick, builds
# it there and sets YARD to its path.
build_yardstick() {
  local src=${YARDSTICK:-../shared/bench/limit}
  if [ ! -d "$src" ]; then
    echo "yardstick not found at $src (set YARDSTICK=path)" >&2
    exit 1
  fi
  rm -rf target/yardstick && mkdir -p target/yardstick && cp -r "$src"/. target/yardstick/
  cargo build --release --quiet --manifest-path target/yardstick/Cargo.toml --target-dir target/yardstick/target
  YARD=target/yardstick/target/release/limit
}
