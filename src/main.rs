//! `ferrite [config-file] [--directive value ...]`, as redis-server.

use ferrite::config::Config;
use ferrite::reactor::BackendChoice;
use ferrite::reactor::epoll::Epoll;
use ferrite::reactor::uring::{self, Uring};

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
    // `--check-io-backend`: say which backend would run here and exit (CI
    // uses it to skip the io_uring pass with the kernel's reason).
    let check_only = args.iter().any(|a| a == "--check-io-backend");
    let args: Vec<String> = args
        .into_iter()
        .filter(|a| a != "--check-io-backend")
        .collect();
    let config = match Config::from_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let probe = match config.io_backend {
        BackendChoice::Epoll => Err(String::new()),
        _ => uring::probe(&config.io_options()),
    };
    let use_uring = match (config.io_backend, probe) {
        (BackendChoice::Epoll, _) => false,
        (_, Ok(())) => true,
        (BackendChoice::Uring, Err(why)) => {
            eprintln!("ferrite: io-backend uring: io_uring unavailable: {why}");
            std::process::exit(1);
        }
        (_, Err(why)) => {
            eprintln!("ferrite: io_uring unavailable ({why}); using epoll");
            false
        }
    };
    if check_only {
        println!("{}", if use_uring { "io_uring" } else { "epoll" });
        return;
    }
    let r = if use_uring {
        ferrite::server::run::<Uring>(config)
    } else {
        ferrite::server::run::<Epoll>(config)
    };
    if let Err(e) = r {
        eprintln!("ferrite: {e}");
        std::process::exit(1);
    }
}
