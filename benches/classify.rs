//! In-process throughput of the hot path: tokenise, match, lay out and score one ad.
//! The `stages` group times the first steps alone (tokenise; tokenise and match), which
//! shows how much of the whole is the one pass over the words.
//!
//! `cargo bench --bench classify`. Uses the examples in `examples/`, and the first 2,000
//! ads of `../shared/corpus/ads.jsonl` when that corpus is beside the repository.

use std::hint::black_box;
use std::io::BufRead;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cxtag::classify::{Classifier, POLICY};
use cxtag::matcher::{Matcher, Scratch};
use cxtag::rules::RuleSet;
use cxtag::tokens::Tokens;

fn examples() -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("examples are UTF-8"))
        .collect()
}

fn corpus(limit: usize) -> Option<Vec<String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/ads.jsonl");
    let file = std::fs::File::open(path).ok()?;
    let ads = std::io::BufReader::new(file)
        .lines()
        .take(limit)
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l.ok()?).ok()?;
            Some(v["text"].as_str()?.to_string())
        })
        .collect();
    Some(ads)
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::defaults().expect("the default rules load");
    let matcher = Matcher::new(&rules, POLICY.exception_window);
    let classifier = Classifier::new(rules);
    let mut sets = vec![("examples", examples())];
    match corpus(2000) {
        Some(ads) => sets.push(("corpus-2000", ads)),
        None => {
            eprintln!("bench: ../shared/corpus/ads.jsonl not found; only the examples are timed")
        }
    }
    let mut group = c.benchmark_group("classify");
    for (name, ads) in &sets {
        let bytes: usize = ads.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(*name, |b| {
            let mut scratch = Scratch::default();
            b.iter(|| {
                for ad in ads {
                    black_box(classifier.classify(black_box(ad), &mut scratch));
                }
            })
        });
    }
    group.finish();

    let (_, ads) = sets.last().expect("the examples are always there");
    let bytes: usize = ads.iter().map(String::len).sum();
    let mut stages = c.benchmark_group("stages");
    stages.throughput(Throughput::Bytes(bytes as u64));
    stages.bench_function("tokenise", |b| {
        let mut tokens = Tokens::default();
        b.iter(|| {
            for ad in ads {
                tokens.fill(black_box(ad));
                black_box(tokens.list.len());
            }
        })
    });
    stages.bench_function("tokenise+match", |b| {
        let mut scratch = Scratch::default();
        b.iter(|| {
            for ad in ads {
                matcher.find(black_box(ad), &mut scratch);
                black_box(scratch.hits.len());
            }
        })
    });
    stages.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
