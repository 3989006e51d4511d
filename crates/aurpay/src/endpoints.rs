//! Every endpoint the client calls, in one table: method, path, and whether Aurpay's public
//! material confirms it. The simulator serves exactly these paths, so an unverified choice made
//! here is at least tested end to end; when Aurpay confirms or corrects one, this table and the
//! simulator change together.

/// How sure we are of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Method, path and answer are in Aurpay's own docs or plugins.
    Verified,
    /// Method and path are confirmed; the answer's shape is not public.
    AnswerUnverified,
    /// The path (and the answer) are our inference; nothing public confirms them.
    PathUnverified,
}

/// An HTTP method the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
}

impl Method {
    /// The upper-case name, as signed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// One endpoint. A `{order_id}` in the path is replaced by the order's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The name in Aurpay's docs.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path, from `/api`.
    pub path: &'static str,
    /// What is confirmed.
    pub verification: Verification,
}

impl Endpoint {
    /// The path with `{order_id}` filled in (the id is percent-encoded byte by byte when it is
    /// not plain digits and letters, so a hostile id cannot change the path).
    pub fn path_for(&self, order_id: &str) -> String {
        let encoded: String = order_id
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        self.path.replace("{order_id}", &encoded)
    }
}

use Method::{Get, Post};
use Verification::{AnswerUnverified, PathUnverified, Verified};

/// Create BLN Order.
pub const CREATE_BLN_ORDER: Endpoint = Endpoint {
    name: "Create BLN Order",
    method: Post,
    path: "/api/bln/order",
    verification: Verified,
};
/// Get Orders Details: an order's status.
pub const ORDER_DETAILS: Endpoint = Endpoint {
    name: "Get Orders Details",
    method: Get,
    path: "/api/v2/order/detail/{order_id}",
    verification: Verified,
};
/// Get Orders, paged with `?page=&size=`.
pub const ORDERS: Endpoint = Endpoint {
    name: "Get Orders",
    method: Get,
    path: "/api/v2/order/",
    verification: Verified,
};
/// Create BLN Withdraw.
pub const BLN_WITHDRAW: Endpoint = Endpoint {
    name: "Create BLN Withdraw",
    method: Post,
    path: "/api/bln/withdraw",
    verification: AnswerUnverified,
};
/// Get BLN Balance. The method (GET) is in the docs' navigation; the path is inferred.
pub const BLN_BALANCE: Endpoint = Endpoint {
    name: "Get BLN Balance",
    method: Get,
    path: "/api/bln/balance",
    verification: PathUnverified,
};
/// Get Payment URL.
pub const PAYMENT_URL: Endpoint = Endpoint {
    name: "Get Payment URL",
    method: Post,
    path: "/api/order/pay-url",
    verification: Verified,
};
/// Get Payment Info.
pub const PAYMENT_INFO: Endpoint = Endpoint {
    name: "Get Payment Info",
    method: Post,
    path: "/api/order/pay-info",
    verification: Verified,
};
/// Get Orders Refund Info.
pub const REFUND_INFO: Endpoint = Endpoint {
    name: "Get Orders Refund Info",
    method: Get,
    path: "/api/v2/order/refund-info/{order_id}",
    verification: AnswerUnverified,
};
/// Orders Refund. How the destination is given is not public.
pub const REFUND: Endpoint = Endpoint {
    name: "Orders Refund",
    method: Post,
    path: "/api/v2/order/refund/{order_id}",
    verification: AnswerUnverified,
};
/// Get Transaction, paged with `?page=&size=`.
pub const TRANSACTIONS: Endpoint = Endpoint {
    name: "Get Transaction",
    method: Get,
    path: "/api/v2/tx",
    verification: Verified,
};
/// Get Support Real Currency List. The path is seen in a cross-reference; the answer is not.
pub const REAL_CURRENCIES: Endpoint = Endpoint {
    name: "Get Support Real Currency List",
    method: Get,
    path: "/api/order/pay/real-currency",
    verification: AnswerUnverified,
};
/// Get Support Crypto Currency List. Path inferred from its sibling above.
pub const CRYPTO_CURRENCIES: Endpoint = Endpoint {
    name: "Get Support Crypto Currency List",
    method: Get,
    path: "/api/order/pay/crypto-currency",
    verification: PathUnverified,
};
/// Get API-Key: trade an account's user name and password for a long-lived key.
pub const GET_API_KEY: Endpoint = Endpoint {
    name: "Get API-Key",
    method: Post,
    path: "/api/plugin/key/aurpay",
    verification: Verified,
};

/// Every endpoint, for documentation and for the simulator's route test.
pub const ALL: [Endpoint; 13] = [
    CREATE_BLN_ORDER,
    ORDER_DETAILS,
    ORDERS,
    BLN_WITHDRAW,
    BLN_BALANCE,
    PAYMENT_URL,
    PAYMENT_INFO,
    REFUND_INFO,
    REFUND,
    TRANSACTIONS,
    REAL_CURRENCIES,
    CRYPTO_CURRENCIES,
    GET_API_KEY,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_cannot_escape_the_path() {
        assert_eq!(
            ORDER_DETAILS.path_for("20240426103947614609"),
            "/api/v2/order/detail/20240426103947614609"
        );
        assert_eq!(
            ORDER_DETAILS.path_for("../../x?y"),
            "/api/v2/order/detail/%2E%2E%2F%2E%2E%2Fx%3Fy"
        );
    }

    #[test]
    fn every_path_starts_at_api() {
        for e in ALL {
            assert!(e.path.starts_with("/api/"), "{}", e.name);
        }
    }
}
