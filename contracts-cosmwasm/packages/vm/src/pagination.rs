//! List queries page with `start_after` + `limit`: 10 by default, never more than 30 (cw-plus convention),
//! so a query's cost is bounded whatever the caller asks.

pub const DEFAULT_LIMIT: u32 = 10;
pub const MAX_LIMIT: u32 = 30;

pub fn page_limit(limit: Option<u32>) -> usize {
    limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_to_ten_and_cap_at_thirty() {
        assert_eq!(page_limit(None), 10);
        assert_eq!(page_limit(Some(30)), 30);
        assert_eq!(page_limit(Some(31)), 30);
        assert_eq!(page_limit(Some(0)), 0);
    }
}
