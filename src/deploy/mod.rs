//! `brief deploy`: uploads the built site to the S3-compatible store of `deploy:` in
//! site.yaml, sending only the files whose bytes the store does not have (compared by
//! ETag, an upload's MD5), assets before pages, and removing last what the site no longer
//! has, never outside its prefix: a deploy cut short leaves the old site whole.

mod plan;
mod reason;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, ObjectStore, ObjectStoreExt as _, PutOptions, RetryConfig,
};

use crate::config::{Config, Deploy};
use crate::diag::{Diagnostic, Diagnostics};
pub use plan::{Plan, cache_control};
use reason::{Reason, reason};

/// How many uploads or removals run at once.
const AT_ONCE: usize = 8;

/// A request that fails is tried this many times more, within `RETRY_FOR`: enough for a
/// store's brief hiccup, short enough that a wrong endpoint is said within a minute.
const RETRIES: usize = 3;
const RETRY_FOR: Duration = Duration::from_secs(60);

/// Why a deploy stopped, and whether the store was changed before it did.
#[derive(Debug)]
pub struct Failed {
    pub problems: Diagnostics,
    pub store_changed: bool,
}

impl Failed {
    fn before_any_change(problems: Diagnostics) -> Self {
        Failed {
            problems,
            store_changed: false,
        }
    }

    /// What the writer is told after the problems.
    pub fn outcome(&self) -> &'static str {
        match self.store_changed {
            false => "nothing was uploaded",
            true => "the store still holds a whole site; run `brief deploy` again to finish",
        }
    }
}

/// What a deploy did, or with `dry_run` would do.
#[derive(Debug, Default)]
pub struct Deployed {
    pub uploaded: Vec<String>,
    pub deleted: Vec<String>,
    pub unchanged: usize,
    /// The store and prefix, as site.yaml names them.
    pub target: String,
}

/// Deploys the site built in `dir`.
pub fn deploy(config: &Config, dir: &Path, dry_run: bool) -> Result<Deployed, Failed> {
    let Some(target) = &config.deploy else {
        let d = Diagnostic::new("site.yaml", "there is no `deploy:` to say where the site goes")
            .help("add `deploy:` with `url: s3://<bucket>/<prefix>` (and `endpoint:` for R2, MinIO or B2); credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        return Err(Failed::before_any_change(Diagnostics(vec![d])));
    };
    if !dir.join(crate::output::MARKER).exists() {
        let d = Diagnostic::new(dir, "there is no built site here to deploy")
            .help("run `brief build` first; `brief deploy` uploads what it wrote");
        return Err(Failed::before_any_change(Diagnostics(vec![d])));
    }
    let local = plan::local_files(dir)
        .map_err(|why| stopped(target, "cannot read the built site", on_this_machine(why)))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| stopped(target, "cannot start", on_this_machine(e.to_string())))?;
    runtime.block_on(run(target, local, dry_run))
}

async fn run(target: &Deploy, local: Vec<plan::Local>, dry_run: bool) -> Result<Deployed, Failed> {
    let (store, prefix) = connect(target).map_err(Failed::before_any_change)?;
    let remote = listing(store.as_ref(), &prefix)
        .await
        .map_err(|why| stopped(target, "cannot list the store", why))?;
    let manifest = read_manifest(store.as_ref(), &prefix).await;
    let sums: HashMap<String, String> = (local.iter())
        .map(|f| (f.path.clone(), f.md5.clone()))
        .collect();
    let plan = plan::plan(local, &remote, &manifest);
    let mut deployed = Deployed {
        unchanged: plan.unchanged,
        target: target.url.clone(),
        ..Deployed::default()
    };
    let paths = |files: &[plan::Local]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    deployed.uploaded = [paths(&plan.assets), paths(&plan.pages)].concat();
    deployed.deleted = plan.deletions.clone();
    if dry_run {
        return Ok(deployed);
    }
    let mut problems = Diagnostics::default();
    for batch in [&plan.assets, &plan.pages] {
        for (path, why) in upload(&store, &prefix, batch).await {
            problems.push(failed_one(target, &format!("cannot upload {path}"), why));
        }
        // Pages go up only once their assets are there, and nothing is removed after a
        // failure: the store keeps a whole site.
        if !problems.is_empty() {
            return Err(changed(problems));
        }
    }
    if let Err(why) = write_manifest(store.as_ref(), &prefix, &sums).await {
        problems.push(failed_one(
            target,
            "cannot write the deploy's manifest",
            why,
        ));
    }
    for (path, why) in remove(&store, &prefix, &plan.deletions).await {
        problems.push(failed_one(target, &format!("cannot remove {path}"), why));
    }
    problems.into_result(deployed).map_err(changed)
}

fn changed(problems: Diagnostics) -> Failed {
    Failed {
        problems,
        store_changed: true,
    }
}

/// The last deploy's manifest; none when the store has none or it cannot be read, and
/// then every file is compared by its ETag.
async fn read_manifest(store: &dyn ObjectStore, prefix: &str) -> HashMap<String, String> {
    let Ok(got) = store.get(&object(prefix, plan::MANIFEST)).await else {
        return HashMap::new();
    };
    let bytes = got.bytes().await.unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_default()
}

async fn write_manifest(
    store: &dyn ObjectStore,
    prefix: &str,
    sums: &HashMap<String, String>,
) -> Result<(), Reason> {
    let sorted: std::collections::BTreeMap<_, _> = sums.iter().collect();
    let bytes = serde_json::to_vec(&sorted).map_err(|e| on_this_machine(e.to_string()))?;
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, "application/json".into());
    attributes.insert(Attribute::CacheControl, "no-store".into());
    let options = PutOptions {
        attributes,
        ..PutOptions::default()
    };
    let location = object(prefix, plan::MANIFEST);
    store
        .put_opts(&location, bytes.into(), options)
        .await
        .map(|_| ())
        .map_err(|e| reason(&e))
}

/// The store of `deploy.url` (`s3://bucket/prefix`) and the prefix in it.
fn connect(target: &Deploy) -> Result<(Arc<dyn ObjectStore>, String), Diagnostics> {
    let mut builder = object_store::aws::AmazonS3Builder::from_env()
        .with_bucket_name(&target.bucket)
        .with_region(target.region.as_deref().unwrap_or("us-east-1"));
    if let Some(endpoint) = &target.endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    builder = builder.with_retry(RetryConfig {
        max_retries: RETRIES,
        retry_timeout: RETRY_FOR,
        ..RetryConfig::default()
    });
    let store = builder
        .build()
        .map_err(|e| failed(target, "cannot use the store", reason(&e)))?;
    Ok((Arc::new(store), target.prefix.clone()))
}

/// The object of `path` under `prefix`.
fn object(prefix: &str, path: &str) -> ObjectPath {
    match prefix.is_empty() {
        true => ObjectPath::from(path),
        false => ObjectPath::from(format!("{prefix}/{path}")),
    }
}

/// Every object under `prefix`: its path from the prefix, and its ETag.
async fn listing(
    store: &dyn ObjectStore,
    prefix: &str,
) -> Result<HashMap<String, Option<String>>, Reason> {
    let under = (!prefix.is_empty()).then(|| ObjectPath::from(prefix));
    let mut objects = store.list(under.as_ref());
    let mut found = HashMap::new();
    while let Some(meta) = objects.next().await {
        let meta = meta.map_err(|e| reason(&e))?;
        let location = meta.location.to_string();
        let path = match prefix.is_empty() {
            true => location.as_str(),
            false => location
                .strip_prefix(prefix)
                .and_then(|p| p.strip_prefix('/'))
                .unwrap_or(&location),
        };
        found.insert(path.to_string(), meta.e_tag);
    }
    Ok(found)
}

/// Uploads `files`, a few at a time; returns the ones that failed, with why.
async fn upload(
    store: &Arc<dyn ObjectStore>,
    prefix: &str,
    files: &[plan::Local],
) -> Vec<(String, Reason)> {
    let jobs = futures_util::stream::iter(files.iter().map(|file| {
        let store = store.clone();
        let location = object(prefix, &file.path);
        async move {
            put(store.as_ref(), &location, file)
                .await
                .map_err(|why| (file.path.clone(), why))
        }
    }));
    let results: Vec<_> = jobs.buffer_unordered(AT_ONCE).collect().await;
    results.into_iter().filter_map(Result::err).collect()
}

/// Uploads one file with the type and caching it is served with.
async fn put(
    store: &dyn ObjectStore,
    location: &ObjectPath,
    file: &plan::Local,
) -> Result<(), Reason> {
    let bytes = std::fs::read(&file.file).map_err(|e| on_this_machine(e.to_string()))?;
    let mut attributes = Attributes::new();
    attributes.insert(
        Attribute::ContentType,
        crate::text::content_type(&file.path).into(),
    );
    attributes.insert(
        Attribute::CacheControl,
        plan::cache_control(&file.path).into(),
    );
    let options = PutOptions {
        attributes,
        ..PutOptions::default()
    };
    store
        .put_opts(location, bytes.into(), options)
        .await
        .map(|_| ())
        .map_err(|e| reason(&e))
}

/// Removes the objects of `paths`; returns the ones that failed, with why.
async fn remove(
    store: &Arc<dyn ObjectStore>,
    prefix: &str,
    paths: &[String],
) -> Vec<(String, Reason)> {
    let jobs = futures_util::stream::iter(paths.iter().map(|path| {
        let store = store.clone();
        let location = object(prefix, path);
        async move {
            store
                .delete(&location)
                .await
                .map_err(|e| (path.clone(), reason(&e)))
        }
    }));
    let results: Vec<_> = jobs.buffer_unordered(AT_ONCE).collect().await;
    results.into_iter().filter_map(Result::err).collect()
}

/// A problem met before the store was changed.
fn stopped(target: &Deploy, what: &str, why: Reason) -> Failed {
    Failed::before_any_change(failed(target, what, why))
}

fn failed(target: &Deploy, what: &str, why: Reason) -> Diagnostics {
    Diagnostics(vec![failed_one(target, what, why)])
}

/// A problem with the store, placed at `deploy.url` in site.yaml.
fn failed_one(target: &Deploy, what: &str, why: Reason) -> Diagnostic {
    target
        .place
        .clone()
        .with_message(format!("{what} ({}): {}", target.url, why.what))
        .help(why.help)
}

/// A problem that is not the store's: the built site or this machine.
fn on_this_machine(what: String) -> Reason {
    Reason {
        what,
        help: "check that `brief build` finished and the output folder is readable",
    }
}
