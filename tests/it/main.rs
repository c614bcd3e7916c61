//! One integration-test binary over fixture sites (tests/fixtures/<case>/), each copied to a
//! temporary folder and built with the real `brief` binary or library.

mod build;
mod cache;
mod cli;
mod deploy;
mod desk;
mod diagnostics;
mod edition;
mod edits;
mod external;
mod factcheck;
mod front;
mod fuzzed;
mod golden;
mod hostile;
mod languages;
mod layout;
mod messy;
mod multilingual;
mod newsroom;
mod output;
mod pictures;
mod search;
mod serve;
mod support;
mod themes;
mod trial;
mod trust;
