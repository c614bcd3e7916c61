//! Why a request to the store failed, in a writer's words: the store client's errors wrap
//! the request, its retries and its URL around the one fact that matters.

/// Where the client asks for credentials when none are in the environment: only a cloud
/// machine answers it. AWS_METADATA_ENDPOINT moves it, for the client and here alike.
fn metadata_endpoint() -> String {
    std::env::var("AWS_METADATA_ENDPOINT").unwrap_or_else(|_| "http://169.254.169.254".into())
}

/// What went wrong, and what to do about it.
pub struct Reason {
    pub what: String,
    pub help: &'static str,
}

const CHECK_ALL: &str = "check the bucket and `endpoint:` here, and the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

/// What went wrong: missing credentials, the store's own error code and message, the
/// status it answered, or the network error underneath.
pub fn reason(error: &object_store::Error) -> Reason {
    let chain = chain(error);
    let all = chain.join(" - ");
    if all.contains(metadata_endpoint().trim_end_matches('/')) {
        return Reason {
            what: "found no credentials".into(),
            help: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (never in site.yaml)",
        };
    }
    if let Some(code) = between(&all, "<Code>", "</Code>") {
        let what = match between(&all, "<Message>", "</Message>") {
            Some(message) => format!("the store answered {code}: {message}"),
            None => format!("the store answered {code}"),
        };
        return Reason {
            what,
            help: help_for(code),
        };
    }
    if let Some(status) = status(&all) {
        return Reason {
            what: format!("the store answered {status}"),
            help: CHECK_ALL,
        };
    }
    let innermost = chain.last().map_or("", String::as_str);
    Reason {
        what: format!("cannot be reached: {}", without_os_code(innermost)),
        help: "check `endpoint:` under `deploy:`: the store's address, with https://",
    }
}

/// The fix for the store's commonest error codes.
fn help_for(code: &str) -> &'static str {
    match code {
        "NoSuchBucket" => "create the bucket, or correct its name in `url:` here",
        "SignatureDoesNotMatch" => {
            "AWS_SECRET_ACCESS_KEY is not the secret of AWS_ACCESS_KEY_ID: copy both again"
        }
        "InvalidAccessKeyId" => "the store does not know AWS_ACCESS_KEY_ID: copy it again",
        "AccessDenied" => {
            "give these credentials permission to list, read, write and delete in the bucket"
        }
        "InternalError" | "ServiceUnavailable" | "SlowDown" => {
            "the store failed on its side: run `brief deploy` again in a while"
        }
        _ => CHECK_ALL,
    }
}

/// Each error's own words, outermost first.
fn chain(error: &object_store::Error) -> Vec<String> {
    let mut words = vec![error.to_string()];
    let mut next = std::error::Error::source(error);
    while let Some(cause) = next {
        words.push(cause.to_string());
        next = cause.source();
    }
    words
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(text[start..start + len].trim()).filter(|s| !s.is_empty())
}

/// The HTTP status in "... status code: 403 Forbidden: ...".
fn status(text: &str) -> Option<&str> {
    let rest = &text[text.find("status code: ")? + "status code: ".len()..];
    let end = rest.find(':').unwrap_or(rest.len());
    Some(rest[..end].trim()).filter(|s| !s.is_empty())
}

/// "Connection refused (os error 111)" reads as "Connection refused".
fn without_os_code(text: &str) -> &str {
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stores_code_and_message_are_read_from_its_answer() {
        let body = "Server returned error response: <?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message></Error>";
        assert_eq!(between(body, "<Code>", "</Code>"), Some("NoSuchBucket"));
        assert_eq!(
            between(body, "<Message>", "</Message>"),
            Some("The specified bucket does not exist.")
        );
    }

    #[test]
    fn a_status_and_an_os_error_read_plainly() {
        assert_eq!(
            status("Server returned non-2xx status code: 403 Forbidden: denied"),
            Some("403 Forbidden")
        );
        assert_eq!(
            without_os_code("Connection refused (os error 111)"),
            "Connection refused"
        );
    }
}
