//! brief: a static site generator for annotated news briefings.
//!
//! The pipeline runs one way: `content` (load files) -> `model` (the frozen site with its
//! indexes) -> `render` (pages through Tera) -> `output` (an atomic write of the folder).

pub mod config;
pub mod content;
pub mod diag;
pub mod markdown;
pub mod yaml;
