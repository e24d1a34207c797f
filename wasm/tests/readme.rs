//! The WASM dependency block of docs/integration.md is this member's own dependency list: every
//! line of it (the crate itself aside, which is a path dependency here) appears word for word in
//! `wasm/Cargo.toml`, and the crate's features are the same, so the block cannot drift from
//! what the wasm test builds.

#![cfg(not(target_arch = "wasm32"))]

#[test]
fn integration_page_wasm_dependencies_are_the_members() {
    let readme = include_str!("../../docs/integration.md");
    let manifest = include_str!("../Cargo.toml");
    let start = readme.find("**WASM**").expect("the page has a WASM entry");
    let block = &readme[start..];
    let block = &block[block.find("```toml\n").expect("a toml block") + 8..];
    let block = &block[..block.find("```").expect("the block ends")];
    let mut checked = 0;
    for line in block.lines() {
        let spec = line.split(" #").next().unwrap_or(line).trim_end();
        if spec.is_empty() {
            continue;
        }
        if let Some(features) = spec.strip_prefix("hybrid-kx = { version = \"0.1\", ") {
            assert!(
                manifest.contains(&format!("hybrid-kx = {{ path = \"..\", {features}")),
                "docs/integration.md: {spec}\nnot the member's hybrid-kx line"
            );
        } else {
            assert!(
                manifest.lines().any(|l| l == spec),
                "docs/integration.md line not in wasm/Cargo.toml: {spec}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 5, "the block has five dependency lines");
}
