//! Asking web addresses whether they answer: a few at a time, fewer per host, each within a
//! timeout and once more when the failure may pass; `HEAD` first, then `GET` where the
//! server refuses `HEAD` or answers it with an error; redirects followed.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::{Client, Method, StatusCode};
use tokio::sync::Semaphore;

/// How many addresses are asked at once, and at most how many of one host.
const AT_ONCE: usize = 16;
const PER_HOST: usize = 2;
/// How many redirects are followed before the address counts as dead.
const MOST_REDIRECTS: usize = 10;
/// The pause before asking again.
const RETRY_AFTER: Duration = Duration::from_millis(300);

/// What an address answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    Alive,
    /// Why it is dead, completing "the address ... ": "answers 404 Not Found".
    Dead(String),
}

/// One request's answer: a final outcome, or a failure that may pass on a second try.
enum Answer {
    Final(Outcome),
    Passing(Outcome),
}

/// Asks every address in `urls`, in that order, showing progress on a terminal.
pub fn all(urls: &[&str], timeout: Duration, progress: bool) -> Result<Vec<Outcome>, String> {
    if urls.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::limited(MOST_REDIRECTS))
        .user_agent(concat!(
            "brief/",
            env!("CARGO_PKG_VERSION"),
            " (link checker)"
        ))
        .build()
        .map_err(|e| e.to_string())?;
    let progress = progress && std::io::stderr().is_terminal();
    runtime.block_on(ask_all(client, urls, timeout, progress))
}

async fn ask_all(
    client: Client,
    urls: &[&str],
    timeout: Duration,
    progress: bool,
) -> Result<Vec<Outcome>, String> {
    let at_once = Arc::new(Semaphore::new(AT_ONCE));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, url) in urls.iter().enumerate() {
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        let per_host = hosts
            .entry(host.unwrap_or_default())
            .or_insert_with(|| Arc::new(Semaphore::new(PER_HOST)));
        let (per_host, at_once, done) = (per_host.clone(), at_once.clone(), done.clone());
        let (client, url) = (client.clone(), url.to_string());
        tasks.spawn(async move {
            let _host = per_host.acquire_owned().await;
            let _slot = at_once.acquire_owned().await;
            let outcome = check_one(&client, &url, timeout).await;
            done.fetch_add(1, Ordering::Relaxed);
            (i, outcome)
        });
    }
    let ticker = progress.then(|| tokio::spawn(show_progress(done, urls.len())));
    let mut outcomes = vec![Outcome::Alive; urls.len()];
    while let Some(joined) = tasks.join_next().await {
        let (i, outcome) = joined.map_err(|e| e.to_string())?;
        outcomes[i] = outcome;
    }
    if let Some(ticker) = ticker {
        ticker.abort();
        crate::report::progress(format_args!("\r\x1b[K"));
    }
    Ok(outcomes)
}

/// "checking external addresses: 120/800", redrawn in place.
async fn show_progress(done: Arc<AtomicUsize>, total: usize) {
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    loop {
        tick.tick().await;
        let done = done.load(Ordering::Relaxed);
        crate::report::progress(format_args!(
            "\rchecking external addresses: {done}/{total}"
        ));
    }
}

async fn check_one(client: &Client, url: &str, timeout: Duration) -> Outcome {
    match ask(client, url, timeout).await {
        Answer::Final(outcome) => outcome,
        Answer::Passing(_) => {
            tokio::time::sleep(RETRY_AFTER).await;
            match ask(client, url, timeout).await {
                Answer::Final(outcome) | Answer::Passing(outcome) => outcome,
            }
        }
    }
}

/// `HEAD`, then `GET` when `HEAD` did not answer with success.
async fn ask(client: &Client, url: &str, timeout: Duration) -> Answer {
    if let Ok(head) = client.request(Method::HEAD, url).send().await
        && head.status().is_success()
    {
        return Answer::Final(Outcome::Alive);
    }
    match client.get(url).send().await {
        Ok(response) => judge(url, response.url().as_str(), response.status()),
        Err(e) => failed(&e, timeout),
    }
}

/// The outcome of a status, after any redirects to `landed`.
fn judge(url: &str, landed: &str, status: StatusCode) -> Answer {
    if status.is_success() {
        return Answer::Final(Outcome::Alive);
    }
    let answers = match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    };
    let why = match landed == url {
        true => format!("answers {answers}"),
        false => format!("redirects to {landed}, which answers {answers}"),
    };
    match status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        true => Answer::Passing(Outcome::Dead(why)),
        false => Answer::Final(Outcome::Dead(why)),
    }
}

/// The outcome of a request that got no answer.
fn failed(e: &reqwest::Error, timeout: Duration) -> Answer {
    if e.is_redirect() {
        return Answer::Final(Outcome::Dead("redirects too many times".into()));
    }
    if e.is_builder() {
        return Answer::Final(Outcome::Dead("is not an address that can be asked".into()));
    }
    if e.is_timeout() {
        let why = format!("did not answer within {} s", timeout.as_secs());
        return Answer::Passing(Outcome::Dead(why));
    }
    // The innermost cause says what happened: "Connection refused", "dns error".
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    // "Connection refused (os error 111)": the number says nothing more to a writer.
    let cause = cause.to_string();
    let cause = cause.split(" (os error").next().unwrap_or(&cause);
    Answer::Passing(Outcome::Dead(format!("cannot be reached: {cause}")))
}
