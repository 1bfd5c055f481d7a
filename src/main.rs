//! `ferrite [config-file] [--directive value ...]`, as redis-server.

use ferrite::config::Config;
use ferrite::reactor::epoll::Epoll;

#[global_allocator]
static GLOBAL: ferrite::alloc::Counting = ferrite::alloc::Counting;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-v") {
        println!(
            "ferrite v={} (redis {} compatible)",
            env!("CARGO_PKG_VERSION"),
            ferrite::REDIS_VERSION
        );
        return;
    }
    let config = match Config::from_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = ferrite::server::run::<Epoll>(config) {
        eprintln!("ferrite: {e}");
        std::process::exit(1);
    }
}
