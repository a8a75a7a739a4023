//! The real binary, driven by trycmd cases in `tests/cmd/`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
