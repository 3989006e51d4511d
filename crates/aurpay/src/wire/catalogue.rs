//! The rest of the catalogue: hosted checkouts (Get Payment URL, Get Payment Info), the
//! merchant's transactions, the currency lists, and Get API-Key's answer.

use serde::{Deserialize, Deserializer, Serialize};

use super::{
    lenient::{id_text, opt_id_text, opt_timestamp, Timestamp},
    order::OrderStatus,
};
use crate::amount::{self, Amount};
/// The answer to Get Payment URL. **Verified**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentUrl {
    /// The hosted checkout page.
    pub pay_url: String,
}

/// The answer to Get Payment Info. **Verified**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInfo {
    /// The order's id.
    #[serde(deserialize_with = "id_text")]
    pub order_id: String,
    /// The order's status.
    pub status: OrderStatus,
    /// The amount in the coin.
    #[serde(default, deserialize_with = "amount::optional")]
    pub amount: Option<Amount>,
    /// When the order was created (UTC).
    #[serde(default, deserialize_with = "opt_timestamp")]
    pub create_time: Option<Timestamp>,
    /// The fiat currency.
    #[serde(default)]
    pub vs_currency: Option<String>,
    /// The fiat amount.
    #[serde(default, deserialize_with = "amount::optional")]
    pub vs_price: Option<Amount>,
    /// The address to pay.
    #[serde(default)]
    pub address: Option<String>,
    /// The token contract.
    #[serde(default)]
    pub contract_addr: Option<String>,
    /// The hosted checkout page.
    #[serde(default)]
    pub pay_url: Option<String>,
}

/// An item of Get Transaction. **Verified** field names (the list is cut off after `fee`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The merchant.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The transaction's id.
    #[serde(default, deserialize_with = "opt_id_text")]
    pub tx_id: Option<String>,
    /// Its type.
    #[serde(default)]
    pub tx_type: Option<String>,
    /// Its status.
    #[serde(default)]
    pub status: Option<String>,
    /// Its chain.
    #[serde(default)]
    pub chain: Option<String>,
    /// Its coin.
    #[serde(default)]
    pub currency: Option<String>,
    /// The amount.
    #[serde(default, deserialize_with = "amount::optional")]
    pub amount: Option<Amount>,
    /// What the merchant obtained.
    #[serde(default, deserialize_with = "amount::optional")]
    pub obtained: Option<Amount>,
    /// The fee.
    #[serde(default, deserialize_with = "amount::optional")]
    pub fee: Option<Amount>,
}

/// A currency the gateway supports, from Get Support Real/Crypto Currency List. **Unverified**:
/// the answers are not public, so a list of codes (`["USD", ...]`) and a list of objects with a
/// `currency`, `code` or `symbol` field are both read into this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrencyInfo {
    /// The code, such as `USD` or `BTC-LN`.
    pub code: String,
    /// A display name, when the gateway gives one.
    pub name: Option<String>,
}

impl<'de> Deserialize<'de> for CurrencyInfo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Code(String),
            Object {
                #[serde(alias = "code", alias = "symbol")]
                currency: String,
                #[serde(default, alias = "full_name", alias = "currency_name")]
                name: Option<String>,
            },
        }
        Ok(match Form::deserialize(d)? {
            Form::Code(code) => Self { code, name: None },
            Form::Object { currency, name } => Self {
                code: currency,
                name,
            },
        })
    }
}

/// The answer to Get API-Key. **Verified**.
#[derive(Deserialize)]
pub(crate) struct ApiKeyAnswer {
    pub access_token: String,
}
