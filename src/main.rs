//! The `minyi` binary: everything lives in the library; this only runs [`minyi::cli::main`].

fn main() -> std::process::ExitCode {
    minyi::cli::main()
}
