//! Where a problem is in a file: line and column of a byte offset, and the UTF-8 check every
//! reader of text starts with. Shared by the JSON, CSV, XML, SIPRI and NISP readers.

use crate::import::Problem;

/// Locates a byte offset as `line L, column C` (1-based; columns count characters).
pub fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Checks that `bytes` are UTF-8; the error names the first bad byte's line and column.
pub fn utf8(bytes: &[u8]) -> Result<&str, Problem> {
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        Problem::new(
            format!("line {line}, column {column}"),
            format!(
                "the file is not UTF-8 (invalid byte 0x{:02X} at byte offset {})",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })
}
