//! The `porcupine` command: parses the command line and hands off to the library.

fn main() -> std::process::ExitCode {
    porcupine::main()
}
