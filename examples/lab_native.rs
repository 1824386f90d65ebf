//! The lab's own code compiled natively, for the benchmark's "native" column:
//! `cargo run --release --example lab_native -- <n> [profile] [container]`
use boxed_vs_packed::lab::{run, Clock, Options};
use boxed_vs_packed::model::{Raw, Scenario};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let profile = args.get(2).map_or("cpython-3.12", String::as_str);
    let json = format!(
        r#"{{"container":"list_append","values":{{"kind":"int_range","start":0}},"n":{n},"profile":"{profile}"}}"#
    );
    let Ok(s) = Raw::parse_json(&json)
        .map_err(|e| e.to_string())
        .and_then(|r| Scenario::from_raw(&r).map_err(|e| e.to_string()))
    else {
        eprintln!("bad arguments");
        std::process::exit(2);
    };
    let t0 = Instant::now();
    let now = move || t0.elapsed().as_secs_f64() * 1000.0;
    let mut progress = |_: &str, _: u64, _: u64| true;
    match run(
        &s,
        &Options::default(),
        Clock {
            now: &now,
            progress: &mut progress,
        },
    ) {
        Ok(r) => println!("{:?}", r.times),
        Err(e) => eprintln!("{e}"),
    }
}
