//! `brief deploy` against a real S3 server on loopback (`s3s-fs`, which scripts/test.sh
//! installs): a first deploy, one with nothing changed, an edit, a deletion and a dry run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use object_store::ObjectStoreExt as _;

use crate::support::*;

const KEY: &str = "brief-test-key";
const SECRET: &str = "brief-test-secret";
const BUCKET: &str = "desk";

/// The S3 server, stopped when dropped.
struct S3 {
    child: Child,
    port: u16,
    data: tempfile::TempDir,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3 {
    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Where the server keeps an object, on disk.
    fn file(&self, key: &str) -> PathBuf {
        self.data.path().join(BUCKET).join(key)
    }
}

/// The `s3s-fs` binary: `$S3S_FS` (scripts/test.sh sets it), else on the PATH or in
/// cargo's bin folder.
fn s3s_fs() -> PathBuf {
    if let Some(path) = std::env::var_os("S3S_FS") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let candidates = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("s3s-fs"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .chain(home.map(|h| h.join("bin/s3s-fs")));
    let found = candidates.into_iter().find(|p| p.is_file());
    found.expect("the deploy tests need an S3 server: `cargo install s3s-fs@0.14.1 --features binary`, or run scripts/test.sh, which does")
}

fn start() -> S3 {
    let data = tempfile::TempDir::new().expect("temp dir");
    std::fs::create_dir_all(data.path().join(BUCKET)).expect("bucket");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(s3s_fs())
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", KEY, "--secret-key", SECRET])
        .arg(data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start s3s-fs");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "s3s-fs did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    S3 { child, port, data }
}

fn deploy(site: &Path, extra: &[&str]) -> Run {
    let mut cmd = brief(site);
    cmd.arg("deploy").args(extra);
    cmd.env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET);
    cmd.env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT")
        .env_remove("AWS_REGION");
    run_command(&mut cmd)
}

fn last_line(r: &Run) -> &str {
    r.stdout.lines().last().unwrap_or("")
}

fn a_site(s3: &S3) -> tempfile::TempDir {
    let site = site(&[
        (
            "content/talks.md",
            "---\ntitle: Talks\ndate: 2025-03-14\ntopics: [Ceasefire]\n---\nTalks went on.\n",
        ),
        (
            "content/later.md",
            "---\ntitle: Later\ndate: 2025-03-15\ntopics: [Ceasefire]\n---\nMore talks.\n",
        ),
        ("content/pages/about.md", "---\ntitle: About\n---\nUs.\n"),
    ]);
    let yaml = format!(
        "title: Desk\nbase_url: https://example.org/\ndeploy:\n  url: s3://{BUCKET}/news\n  endpoint: {}\n",
        s3.endpoint()
    );
    write(site.path(), "site.yaml", &yaml);
    build_ok(site.path());
    site
}

/// How many files the built site has, brief's own marker aside.
fn built_files(site: &Path) -> usize {
    tree(&site.join("public"))
        .iter()
        .filter(|p| !p.starts_with('.'))
        .count()
}

#[test]
fn a_deploy_sends_only_what_changed_and_removes_only_what_the_site_lost() {
    let s3 = start();
    let site = a_site(&s3);
    let files = built_files(site.path());
    // Something else in the bucket, outside the site's prefix, is never touched.
    std::fs::create_dir_all(s3.file("other")).expect("folder");
    std::fs::write(s3.file("other/keep.txt"), "not the site's").expect("write");

    let dry = deploy(site.path(), &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let expected =
        format!("dry run to s3://{BUCKET}/news: {files} would upload, 0 would remove, 0 unchanged");
    assert_eq!(last_line(&dry), expected);
    assert!(
        dry.stdout
            .contains("would upload 2025/03/talks/index.html\n")
    );
    assert!(!s3.file("news").exists(), "a dry run changes nothing");

    let first = deploy(site.path(), &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        last_line(&first),
        format!("deployed to s3://{BUCKET}/news: {files} uploaded, 0 removed, 0 unchanged")
    );
    let page = std::fs::read_to_string(s3.file("news/2025/03/talks/index.html"))
        .expect("the page is in the store");
    assert_eq!(
        page,
        read(&site.path().join("public"), "2025/03/talks/index.html")
    );
    // Assets go up before the pages that use them.
    let order: Vec<&str> = first.stdout.lines().collect();
    let at = |p: &str| order.iter().position(|l| *l == format!("uploaded {p}"));
    assert!(at("style.css") < at("index.html"), "{}", first.stdout);
    assert!(!first.stdout.contains(".brief-output"));

    let again = deploy(site.path(), &[]);
    assert_eq!(
        last_line(&again),
        format!("deployed to s3://{BUCKET}/news: 0 uploaded, 0 removed, {files} unchanged")
    );

    // An edit sends its page and the lists and feeds that show it, nothing else.
    write(
        site.path(),
        "content/talks.md",
        "---\ntitle: Talks resumed\ndate: 2025-03-14\ntopics: [Ceasefire]\n---\nTalks went on.\n",
    );
    build_ok(site.path());
    let edit = deploy(site.path(), &[]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    assert!(
        edit.stdout.contains("uploaded 2025/03/talks/index.html\n"),
        "{}",
        edit.stdout
    );
    assert!(
        edit.stdout
            .contains("uploaded topics/ceasefire/index.html\n"),
        "{}",
        edit.stdout
    );
    assert!(
        !edit.stdout.contains("uploaded about/index.html"),
        "{}",
        edit.stdout
    );
    assert!(
        !edit.stdout.contains("uploaded style.css"),
        "{}",
        edit.stdout
    );
    let sent = edit
        .stdout
        .lines()
        .filter(|l| l.starts_with("uploaded "))
        .count();
    assert!(
        sent < files / 2,
        "{sent} of {files} files sent for one edit"
    );

    // A deleted briefing's files leave the store; what is outside the prefix stays.
    std::fs::remove_file(site.path().join("content/later.md")).expect("remove");
    build_ok(site.path());
    let deletion = deploy(site.path(), &[]);
    assert_eq!(deletion.code, 0, "{}", deletion.stderr);
    assert!(
        deletion
            .stdout
            .contains("removed 2025/03/later/index.html\n"),
        "{}",
        deletion.stdout
    );
    assert!(
        deletion.stdout.contains("removed 2025/03/15/index.html\n"),
        "{}",
        deletion.stdout
    );
    assert!(!s3.file("news/2025/03/later/index.html").exists());
    assert!(s3.file("other/keep.txt").exists(), "outside the prefix");
    assert!(s3.file("news/2025/03/talks/index.html").exists());
}

#[test]
fn objects_are_served_with_their_type_and_caching() {
    let s3 = start();
    let site = a_site(&s3);
    let r = deploy(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let store = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name(BUCKET)
        .with_region("us-east-1")
        .with_endpoint(s3.endpoint())
        .with_allow_http(true)
        .with_access_key_id(KEY)
        .with_secret_access_key(SECRET)
        .build()
        .expect("a client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for (key, kind, cache) in [
        (
            "news/index.html",
            "text/html; charset=utf-8",
            "public, max-age=300",
        ),
        (
            "news/style.css",
            "text/css; charset=utf-8",
            "public, max-age=86400",
        ),
        (
            "news/atom.xml",
            "application/atom+xml",
            "public, max-age=300",
        ),
    ] {
        let got = runtime
            .block_on(store.get(&object_store::path::Path::from(key)))
            .expect(key);
        let attribute = |a| got.attributes.get(&a).map(|v| v.to_string());
        assert_eq!(
            attribute(object_store::Attribute::ContentType).as_deref(),
            Some(kind),
            "{key}"
        );
        assert_eq!(
            attribute(object_store::Attribute::CacheControl).as_deref(),
            Some(cache),
            "{key}"
        );
    }
}

#[test]
fn deploying_without_a_store_or_a_built_site_says_what_to_do() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-03-14\n---\nText.\n",
    )]);
    let r = deploy(site.path(), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: there is no `deploy:` to say where the site goes"),
        "{}",
        r.stderr
    );
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ndeploy:\n  url: bucket/news\n",
    );
    let r = deploy(site.path(), &[]);
    assert!(
        r.stderr
            .contains("error: `bucket/news` is not an S3 address\n --> site.yaml:4:8"),
        "{}",
        r.stderr
    );
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: https://example.org/\ndeploy:\n  url: s3://desk\n",
    );
    let r = deploy(site.path(), &[]);
    assert!(
        r.stderr
            .contains("error: there is no built site here to deploy"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("help: run `brief build` first"),
        "{}",
        r.stderr
    );
}

/// Environment variables set (or, with `None`, removed) for one run.
type Env<'a> = &'a [(&'a str, Option<&'a str>)];

/// `brief deploy` with `env` over the test's credentials (`None` removes a variable).
fn deploy_env(site: &Path, env: Env) -> Run {
    let mut cmd = brief(site);
    cmd.arg("deploy")
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_REGION");
    for (name, value) in env {
        match value {
            Some(value) => cmd.env(name, value),
            None => cmd.env_remove(name),
        };
    }
    run_command(&mut cmd)
}

fn with_store(site: &Path, url: &str, endpoint: &str) {
    let yaml = format!(
        "title: Desk\nbase_url: https://example.org/\ndeploy:\n  url: {url}\n  endpoint: {endpoint}\n"
    );
    write(site, "site.yaml", &yaml);
}

#[test]
fn a_store_that_refuses_or_cannot_be_reached_is_said_in_plain_words() {
    let s3 = start();
    let site = a_site(&s3);
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let nowhere = format!("http://127.0.0.1:{closed}");
    let cases: [(&str, String, Env, &str, &str); 4] = [
        (
            "s3://desk/news",
            s3.endpoint(),
            &[("AWS_SECRET_ACCESS_KEY", Some("not-the-secret"))],
            "the store answered SignatureDoesNotMatch",
            "help: AWS_SECRET_ACCESS_KEY is not the secret of AWS_ACCESS_KEY_ID: copy both again",
        ),
        (
            "s3://no-such-bucket/news",
            s3.endpoint(),
            &[],
            "the store answered NoSuchBucket",
            "help: create the bucket, or correct its name in `url:` here",
        ),
        (
            "s3://desk/news",
            nowhere.clone(),
            &[],
            "cannot be reached: Connection refused",
            "help: check `endpoint:` under `deploy:`: the store's address, with https://",
        ),
        (
            "s3://desk/news",
            s3.endpoint(),
            &[
                ("AWS_ACCESS_KEY_ID", None),
                ("AWS_SECRET_ACCESS_KEY", None),
                ("AWS_METADATA_ENDPOINT", Some(&nowhere)),
            ],
            "found no credentials",
            "help: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (never in site.yaml)",
        ),
    ];
    for (url, endpoint, env, why, help) in cases {
        with_store(site.path(), url, &endpoint);
        let r = deploy_env(site.path(), env);
        assert_eq!(r.code, 1, "{url}: {}", r.stderr);
        let expected = format!(
            "error: cannot list the store ({url}): {why}\n --> site.yaml:4:8\n  |\n4 |   url: {url}\n"
        );
        assert_has_all(&r.stderr, &[&expected, help]);
        assert!(
            r.stderr
                .ends_with("error: found 1 problem; nothing was uploaded\n"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn a_deploy_cut_short_at_a_page_leaves_a_whole_site_and_says_to_run_again() {
    let s3 = start();
    let site = a_site(&s3);
    // A folder where the home page goes: the store cannot write it.
    std::fs::create_dir_all(s3.file("news/index.html")).expect("folder");
    let r = deploy(site.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_has_all(
        &r.stderr,
        &[
            "error: cannot upload index.html (s3://desk/news): the store answered InternalError",
            "help: the store failed on its side: run `brief deploy` again in a while",
        ],
    );
    assert!(
        r.stderr
            .ends_with("the store still holds a whole site; run `brief deploy` again to finish\n"),
        "{}",
        r.stderr
    );
    // The assets went first; nothing was removed.
    assert!(s3.file("news/style.css").is_file());
    std::fs::remove_dir_all(s3.file("news/index.html")).expect("remove");
    let r = deploy(site.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s3.file("news/index.html").is_file());
}

#[test]
fn a_prefix_with_dots_empty_parts_or_spaces_is_refused_at_its_line() {
    let site = site(&[]);
    for (url, what) in [
        ("s3://desk/../news", "the part `..`"),
        ("s3://desk/news//en", "an empty part (`//`)"),
        ("s3://desk/our news", "the part `our news`"),
    ] {
        write(
            site.path(),
            "site.yaml",
            &format!("title: T\nbase_url: https://example.org/\ndeploy:\n  url: \"{url}\"\n"),
        );
        let r = deploy(site.path(), &["--dry-run"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let expected = format!(
            "error: the prefix in `{url}` has {what}\n --> site.yaml:4:8\n  |\n4 |   url: \"{url}\"\n"
        );
        assert_has_all(
            &r.stderr,
            &[
                &expected,
                "help: name the prefix with letters, digits, `-`, `_` and `.`, parts separated by single `/`, e.g. `s3://my-bucket/briefs/en`",
            ],
        );
    }
}
