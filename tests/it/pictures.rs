//! Pictures: lead images, figures in the body, author photos and the site's default image;
//! the narrower copies a build publishes, their cache, and every way a picture can be wrong.

use std::path::Path;

use crate::support::*;

/// Writes a `width` x `height` picture at `rel` (its format from the extension).
pub fn picture(root: &Path, rel: &str, width: u32, height: u32) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    img.save(&path).expect("save picture");
}

const LEAD: &str = "---\ntitle: \"With pictures\"\ndate: 2025-03-14T09:00:00+02:00\nimage:\n  src: convoy.jpg\n  alt: \"A convoy <near> Kursk\"\n  caption: Trucks at dawn.\n  credit: \"Photo: A. Reporter\"\ntopics: [Energy]\n---\nText.\n\n![The map of the front](/img/map.png \"Where the lines are | Map: Desk\")\n\nMore text.\n";

fn pictured() -> tempfile::TempDir {
    let site = site(&[("content/2025/lead.md", LEAD)]);
    picture(site.path(), "content/2025/convoy.jpg", 2000, 1000);
    picture(site.path(), "static/img/map.png", 1000, 500);
    site
}

#[test]
fn a_lead_image_and_a_figure_get_copies_sizes_and_captions() {
    let site = pictured();
    let r = build_ok(site.path());
    assert!(r.stdout.contains("(5 pictures resized)"), "{}", r.stdout);
    let public = site.path().join("public");
    // The original beside the briefing is published under its page, with three copies;
    // the 1000-pixel map gets two, never a copy wider than itself.
    for file in [
        "2025/03/lead/convoy.jpg",
        "2025/03/lead/convoy.480w.jpg",
        "2025/03/lead/convoy.960w.jpg",
        "2025/03/lead/convoy.1600w.jpg",
        "img/map.png",
        "img/map.480w.png",
        "img/map.960w.png",
    ] {
        assert!(public.join(file).is_file(), "{file}");
    }
    assert!(!public.join("img/map.1600w.png").exists());
    let copy = image::image_dimensions(public.join("2025/03/lead/convoy.480w.jpg")).expect("copy");
    assert_eq!(copy, (480, 240));
    let page = read(&public, "2025/03/lead/index.html");
    assert!(page.contains(
        "<img src=\"../../../2025/03/lead/convoy.960w.jpg\" srcset=\"../../../2025/03/lead/convoy.480w.jpg 480w, ../../../2025/03/lead/convoy.960w.jpg 960w, ../../../2025/03/lead/convoy.1600w.jpg 1600w, ../../../2025/03/lead/convoy.jpg 2000w\" sizes=\"(min-width: 45rem) 42rem, calc(100vw - 2rem)\" width=\"2000\" height=\"1000\" alt=\"A convoy &lt;near&gt; Kursk\" fetchpriority=\"high\">"
    ), "{page}");
    assert!(page.contains(
        "<figcaption>Trucks at dawn. <span class=\"credit\">Photo: A. Reporter</span></figcaption>"
    ));
    assert!(page.contains(
        "<figure class=\"figure\"><img src=\"../../../img/map.960w.png\" srcset=\"../../../img/map.480w.png 480w, ../../../img/map.960w.png 960w, ../../../img/map.png 1000w\" sizes=\"(min-width: 45rem) 42rem, calc(100vw - 2rem)\" width=\"1000\" height=\"500\" alt=\"The map of the front\" loading=\"lazy\" /><figcaption>Where the lines are <span class=\"credit\">Map: Desk</span></figcaption></figure>"
    ), "{page}");
    // Social cards and JSON-LD use the widest copy up to 1600 pixels, with its size.
    assert_has_all(
        &page,
        &[
            "<meta property=\"og:image\" content=\"https://example.org/2025/03/lead/convoy.1600w.jpg\">",
            "<meta property=\"og:image:width\" content=\"1600\">",
            "<meta property=\"og:image:height\" content=\"800\">",
            "<meta property=\"og:image:alt\" content=\"A convoy &lt;near&gt; Kursk\">",
            "<meta name=\"twitter:card\" content=\"summary_large_image\">",
            r#""image":["https://example.org/2025/03/lead/convoy.1600w.jpg"]"#,
        ],
    );
    // Cards show a thumbnail that loads lazily and says nothing the title does not.
    let topic = read(&public, "topics/energy/index.html");
    assert!(topic.contains(
        "<img src=\"../../2025/03/lead/convoy.960w.jpg\" srcset=\"../../2025/03/lead/convoy.480w.jpg 480w, ../../2025/03/lead/convoy.960w.jpg 960w, ../../2025/03/lead/convoy.1600w.jpg 1600w, ../../2025/03/lead/convoy.jpg 2000w\" sizes=\"7rem\" width=\"2000\" height=\"1000\" alt=\"\" loading=\"lazy\" decoding=\"async\">"
    ), "{topic}");
    // The lead story's picture, at the top of the home page, loads at once and wide.
    let home = read(&public, "index.html");
    assert!(home.contains(
        "sizes=\"(min-width: 64rem) 34rem, calc(100vw - 2rem)\" width=\"2000\" height=\"1000\" alt=\"\" fetchpriority=\"high\">"
    ), "{home}");
    assert!(home.contains("<meta name=\"twitter:card\" content=\"summary\">"));
}

#[test]
fn a_second_build_takes_every_copy_from_the_cache() {
    let site = pictured();
    build_ok(site.path());
    let cache = site.path().join(".brief-cache/images");
    let cached: Vec<String> = std::fs::read_dir(&cache)
        .expect("cache")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(cached.len(), 5, "{cached:?}");
    let again = build_ok(site.path());
    assert!(!again.stdout.contains("resized"), "{}", again.stdout);
    // A changed picture is resized again; deleting the cache is safe.
    picture(site.path(), "static/img/map.png", 1200, 600);
    assert!(
        build_ok(site.path())
            .stdout
            .contains("(2 pictures resized)")
    );
    std::fs::remove_dir_all(&cache).expect("rm cache");
    assert!(
        build_ok(site.path())
            .stdout
            .contains("(5 pictures resized)")
    );
}

#[test]
fn the_site_image_is_the_social_card_of_pages_without_one() {
    let site = pictured();
    write(
        site.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\nimage: /img/map.png\n",
    );
    build_ok(site.path());
    let home = read(&site.path().join("public"), "index.html");
    assert_has_all(
        &home,
        &[
            "<meta property=\"og:image\" content=\"https://example.org/img/map.png\">",
            "<meta property=\"og:image:width\" content=\"1000\">",
            "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        ],
    );
    write(
        site.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\nimage: /img/nope.png\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: the image `/img/nope.png` does not exist (looked for static/img/nope.png)\n --> site.yaml:3:8",
        ],
    );
}

#[test]
fn every_wrong_picture_is_an_error_at_its_place() {
    let bad = "---\ntitle: \"Bad\"\ndate: 2025-03-14\nimage:\n  src: missing.jpg\n---\n![](/img/a.png)\n\n![A map](/img/gone.png)\n\n![A map](../up.png)\n\n![Broken](broken.jpg)\n\n![A map](ftp://x/y.png)\n";
    let site = site(&[
        ("content/bad.md", bad),
        ("content/broken.jpg", "not a picture"),
    ]);
    picture(site.path(), "static/img/a.png", 10, 10);
    build_fails_with(
        site.path(),
        &[
            "error: the lead image has no alt text\n --> content/bad.md:5:3",
            "help: add `alt:` saying what it shows; for a picture that only decorates, write `alt: \"-\"`",
            "error: the image `missing.jpg` does not exist (looked for content/missing.jpg)\n --> content/bad.md:5:8",
            "error: this image has no alt text\n --> content/bad.md:7:1",
            "error: the image `/img/gone.png` does not exist (looked for static/img/gone.png)\n --> content/bad.md:9:1",
            "error: the image `../up.png` is outside this file's folder\n  --> content/bad.md:11:1",
            "error: content/broken.jpg is not an image brief can read: its contents are damaged or not in its format\n  --> content/bad.md:13:1",
            "help: save it again as JPEG, PNG or WebP, or replace the file",
            "error: an image must be a file of this site or an http(s) address\n  --> content/bad.md:15:1",
        ],
    );
}

#[test]
fn an_author_photo_and_a_decorative_figure() {
    let site = site(&[
        (
            "content/a.md",
            "---\ntitle: \"A\"\ndate: 2025-03-14\nauthors: [Ann Smith]\n---\n![-](/img/rule.png)\n",
        ),
        (
            "content/authors/ann-smith.md",
            "---\nname: Ann Smith\nimage: ann.jpg\n---\nBio.\n",
        ),
    ]);
    picture(site.path(), "static/img/rule.png", 300, 4);
    picture(site.path(), "content/authors/ann.jpg", 600, 600);
    build_ok(site.path());
    let public = site.path().join("public");
    let ann = read(&public, "authors/ann-smith/index.html");
    assert!(ann.contains(
        "<div class=\"portrait\"><img src=\"../../authors/ann-smith/ann.480w.jpg\" srcset=\"../../authors/ann-smith/ann.480w.jpg 480w, ../../authors/ann-smith/ann.jpg 600w\" sizes=\"6rem\" width=\"600\" height=\"600\" alt=\"\" fetchpriority=\"high\"></div>"
    ), "{ann}");
    assert!(public.join("authors/ann-smith/ann.jpg").is_file());
    let page = read(&public, "2025/03/a/index.html");
    assert!(page.contains(
        "<img src=\"../../../img/rule.png\" width=\"300\" height=\"4\" alt=\"\" loading=\"lazy\" />"
    ), "{page}");
    // The byline shows the profile's photo beside the name, and the reading time.
    assert!(page.contains(
        "<span class=\"byline\">By <span class=\"byline-photo\"><img src=\"../../../authors/ann-smith/ann.480w.jpg\""
    ), "{page}");
    assert!(
        page.contains("<span class=\"reading-time\">1 min read</span>"),
        "{page}"
    );
    let topic_less = read(&public, "2025/03/14/index.html");
    assert!(topic_less.contains(
        "<p class=\"byline\">By <span class=\"byline-photo\"><img src=\"../../../authors/ann-smith/ann.480w.jpg\""
    ), "{topic_less}");
    assert!(
        topic_less.contains("Ann Smith</a> · <span class=\"reading-time\">1 min read</span></p>")
    );
}

/// A card's reading time counts the body's words, in the page's language.
#[test]
fn reading_time_counts_the_words_of_the_body() {
    let long = format!(
        "---\ntitle: Long\ndate: 2025-03-14\nlang: uk\n---\n{}\n",
        "слово ".repeat(700)
    );
    let site = site(&[("content/long.md", long.as_str())]);
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nlanguage: uk\n",
    );
    build_ok(site.path());
    let page = read(&site.path().join("public"), "2025/03/long/index.html");
    assert!(
        page.contains("<span class=\"reading-time\">4 хв читання</span>"),
        "{page}"
    );
}
