//! The lab's own code compiled natively, for the benchmark's "native" column. Prints the run's
//! times as JSON: `cargo run --release --example lab_native -- <n> [profile] [container]`
use boxed_vs_packed::lab::{run, Clock, Options};
use boxed_vs_packed::model::Scenario;
use boxed_vs_packed::web::scenario::ScenarioInput;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let profile = args.get(2).map_or("cpython-3.12", String::as_str);
    let container = args.get(3).map_or("list_range", String::as_str);
    let json = format!(
        r#"{{"container":"{container}","values":{{"kind":"int_range","start":0}},"n":{n},"profile":"{profile}"}}"#
    );
    let scenario = serde_json::from_str::<ScenarioInput>(&json)
        .map_err(|e| e.to_string())
        .and_then(|r| Scenario::try_from(r).map_err(|e| e.to_string()));
    let s = match scenario {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bad arguments: {e}");
            std::process::exit(2);
        }
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
        Ok(r) => println!(
            r#"{{"buildBoxed":{},"buildPacked":{},"traverseBoxed":{},"traversePacked":{},"freeBoxed":{},"commit":{}}}"#,
            // Natively the comparison is always built (there is no 4 GiB limit).
            r.times.build_boxed.unwrap_or_default(),
            r.times.build_packed,
            r.times.traverse_boxed.unwrap_or_default(),
            r.times.traverse_packed,
            r.times.free_boxed.unwrap_or_default(),
            r.times.commit
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
