//! The course's promise that a seed gives the same numbers on any machine, whatever its number
//! of cores: the nn engine splits its products over `COURSE_THREADS` threads (default: every
//! core), and the split must not change a single bit.
//!
//! The test runs this binary twice more, as child processes with `COURSE_THREADS=1` and
//! `COURSE_THREADS=4` (the engine reads it once, at load), each training a TimeMlp and a VAE
//! large enough for every product to be split, and compares what they print: losses,
//! predictions and decoded samples, as the exact bits of each `f64`.

use course::generative::net::TimeMlp;
use course::generative::vae::{Decoder, Vae, VaeConfig};
use course::ndarray::Array2;
use std::process::Command;

/// The child's work: print every number it computes as hexadecimal bits.
#[test]
#[ignore = "run by same_numbers_on_one_and_four_threads in a child process"]
fn threads_child() {
    let x = Array2::from_shape_fn((1024, 2), |(i, j)| ((i * 7 + j * 3) % 17) as f64 / 8.5 - 1.0);
    let t: Vec<f64> = (0..1024).map(|i| (i % 31) as f64 / 31.0).collect();
    let y = Array2::from_shape_fn((1024, 2), |(i, j)| x[[i, 1 - j]] * (1.0 - t[i]));
    let mut net = TimeMlp::new(2, 2, &[128, 128], 3);
    let mut out: Vec<f64> = net.fit(&x, &t, &y, 40, 256, 5e-3);
    out.extend(net.predict(&x, &t).iter());
    let mut vae = Vae::new(&VaeConfig::new(2, 2, &[128, 128], Decoder::GaussianLearned { scale: 0.3 }), 5);
    out.extend(vae.fit(&x, 1.0, 30, 256, 3e-3).loss);
    out.extend(vae.sample(300, 7).iter());
    let bits: Vec<String> = out.iter().map(|v| format!("{:016x}", v.to_bits())).collect();
    println!("NUMBERS {}", bits.join(" "));
}

fn child(threads: &str) -> String {
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--ignored", "--exact", "threads_child", "--nocapture", "--test-threads", "1"])
        .env("COURSE_THREADS", threads)
        .output()
        .expect("run the test binary again");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "child with COURSE_THREADS={threads} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    // The harness may print "test threads_child ... " on the same line first.
    stdout.lines().find_map(|l| l.split_once("NUMBERS ").map(|(_, n)| n.to_owned())).expect("the child printed its numbers")
}

#[test]
fn same_numbers_on_one_and_four_threads() {
    let (one, four) = (child("1"), child("4"));
    assert!(one.split(' ').count() > 2000, "the child computed {} numbers", one.split(' ').count());
    assert!(one == four, "COURSE_THREADS=1 and =4 gave different numbers");
}

#[test]
fn a_bad_thread_count_is_named() {
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--ignored", "--exact", "threads_child", "--test-threads", "1"])
        .env("COURSE_THREADS", "many")
        .output()
        .expect("run the test binary again");
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success() && all.contains("COURSE_THREADS must be a positive integer"), "{all}");
}
