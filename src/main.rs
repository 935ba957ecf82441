//! The `tend` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    tend::cli::main()
}
