//! The tables read once and compared with what the journal says they must hold.

use sha2::{Digest, Sha256};

use super::{
    numbering::Numbering,
    tampered,
    walk::{Sealed, Walk},
};
use crate::ledger::{refunds, Ledger, LedgerError, Refund, RefundState, JOURNALED_SETTINGS};

impl Ledger {
    pub(super) fn check_sales(&self, w: &Walk) -> Result<u64, LedgerError> {
        let mut count = 0u64;
        let mut numbering = Numbering::new(&w.legacy_receipts, "receipt", "");
        self.each_sale(|sale, seal| {
            let id = seal.id;
            let sale = match sale {
                Ok(s) => s,
                Err(e) => return tampered(format!("sale id {id} cannot be read: {e}")),
            };
            count += 1;
            numbering.next(&sale.terminal, sale.training, sale.receipt_no)?;
            let now: [u8; 32] = Sha256::digest(
                serde_json::to_string(&sale)
                    .map_err(|e| LedgerError::Corrupt(e.to_string()))?
                    .as_bytes(),
            )
            .into();
            match w.digests.get(&id) {
                Some(Some(snap)) if *snap == now => {}
                Some(_) => {
                    return tampered(format!(
                        "sale with receipt {} differs from its journal",
                        sale.label()
                    ))
                }
                None => {
                    return tampered(format!(
                        "sale with receipt {} has no journal entry",
                        sale.label()
                    ))
                }
            }
            let expected = w.sealed.get(&id).cloned().unwrap_or_default();
            let stored = Sealed {
                z_id: seal.z_id,
                z_state: seal.z_state,
                late_z_id: seal.late_z_id,
            };
            if stored != expected {
                return tampered(format!(
                    "receipt {} claims another Z report than the one that sealed it",
                    sale.label()
                ));
            }
            Ok(())
        })?;
        numbering.finish()?;
        if count as usize != w.digests.len() {
            return tampered("the journal names a sale that is no longer in the ledger");
        }
        Ok(count)
    }

    pub(super) fn check_refunds(&self, w: &Walk) -> Result<u64, LedgerError> {
        let mut count = 0u64;
        let mut numbering = Numbering::new(&w.legacy_refunds, "refund", "R");
        self.each_refund(|r: Refund, z_id| {
            count += 1;
            numbering.next(&r.terminal, r.training, r.refund_no)?;
            let name = format!("refund {} of terminal {}", r.label, r.terminal);
            let Some(seen) = w
                .refunds
                .get(&(r.terminal.clone(), r.training, r.refund_no))
            else {
                return tampered(format!("{name} has no journal entry"));
            };
            let document = serde_json::to_string(&refunds::detail(&r))
                .map_err(|e| LedgerError::Corrupt(e.to_string()))?;
            if seen.document != document {
                return tampered(format!("{name} differs from its journal"));
            }
            let state_ok = match &seen.state {
                Some(journaled) => {
                    serde_json::to_string(&refunds::state_detail(&r))
                        .ok()
                        .as_deref()
                        == Some(journaled.as_str())
                }
                None => {
                    r.state == refunds::initial_state(r.method, r.payment_hash.is_some())
                        && r.answer.is_none()
                        && r.updated_at == r.created_at
                }
            };
            if !state_ok || (r.state == RefundState::Legacy && r.payment_hash.is_some()) {
                return tampered(format!(
                    "the payment state of {name} differs from its journal"
                ));
            }
            if z_id != seen.z_id {
                return tampered(format!(
                    "{name} claims another Z report than the one that sealed it"
                ));
            }
            Ok(())
        })?;
        numbering.finish()?;
        if count as usize != w.refunds.len() {
            return tampered("the journal names a refund that is no longer in the ledger");
        }
        Ok(count)
    }

    pub(super) fn check_withdrawals(&self, w: &Walk) -> Result<u64, LedgerError> {
        let withdrawals = self.withdrawals()?;
        if withdrawals.len() != w.withdrawals.len() {
            return tampered("the withdrawals do not match the journal");
        }
        for wd in &withdrawals {
            let row = serde_json::to_value(wd).map_err(|e| LedgerError::Corrupt(e.to_string()))?;
            if w.withdrawals.get(&wd.id) != Some(&row) {
                return tampered(format!(
                    "the withdrawal of invoice {}... differs from its journal",
                    &wd.payment_hash[..wd.payment_hash.len().min(12)]
                ));
            }
        }
        Ok(withdrawals.len() as u64)
    }

    /// The staff, the shifts and the drawer's pay-ins and pay-outs, each row as its last journal
    /// entry has it: a PIN swapped, a count edited or a pay-out deleted shows.
    pub(super) fn check_people_and_drawers(&self, w: &Walk) -> Result<(), LedgerError> {
        let staff = self.staff_rows()?;
        if staff.len() != w.staff.len() {
            return tampered("the staff does not match the journal");
        }
        for row in &staff {
            if w.staff.get(&row.id) != Some(&row.document()) {
                return tampered(format!(
                    "{} on the staff differs from the journal",
                    row.name
                ));
            }
        }
        let shifts = self.shifts()?;
        if shifts.len() != w.shifts.len() {
            return tampered("the shifts do not match the journal");
        }
        for s in &shifts {
            if w.shifts.get(&s.id) != Some(&crate::ledger::shift_document(s)) {
                return tampered(format!(
                    "shift {} of terminal {} differs from its journal",
                    s.label(),
                    s.terminal
                ));
            }
        }
        self.check_shift_seals(&shifts)?;
        let moves = self.all_cash_moves()?;
        if moves.len() != w.cash_moves.len() {
            return tampered("the drawer's pay-ins and pay-outs do not match the journal");
        }
        for m in &moves {
            let row = serde_json::to_value(m).map_err(|e| LedgerError::Corrupt(e.to_string()))?;
            if w.cash_moves.get(&m.id) != Some(&row) {
                return tampered(format!(
                    "a {} of {} differs from its journal",
                    m.kind.as_str().replace('_', "-"),
                    m.at
                ));
            }
        }
        Ok(())
    }

    /// Each shift is sealed by the Z whose chained report lists it, and by no other: the seal
    /// column is not in the shift's own journal entry (it is set later, by the Z), so it is
    /// checked against the Z reports the chain holds.
    fn check_shift_seals(&self, shifts: &[crate::ledger::Shift]) -> Result<(), LedgerError> {
        let mut listed: std::collections::HashMap<(String, bool, String), i64> =
            std::collections::HashMap::new();
        for z in self.z_reports()? {
            let report: serde_json::Value = serde_json::from_str(&z.report)
                .map_err(|e| LedgerError::Corrupt(format!("the report of {}: {e}", z.label())))?;
            for line in report["shifts"].as_array().into_iter().flatten() {
                let label = line["label"].as_str().unwrap_or_default().to_owned();
                listed.insert((z.terminal.clone(), z.training, label), z.id);
            }
        }
        let seals = self.shift_seals()?;
        for s in shifts {
            let expected = listed.get(&(s.terminal.clone(), s.training, s.label()));
            if seals.get(&s.id).copied().flatten().as_ref() != expected {
                return tampered(format!(
                    "shift {} of terminal {} claims another Z report than the one that sealed it",
                    s.label(),
                    s.terminal
                ));
            }
        }
        Ok(())
    }

    pub(super) fn check_settings(&self, w: &Walk) -> Result<(), LedgerError> {
        for key in JOURNALED_SETTINGS {
            if self.setting(key)? != w.settings.get(key).cloned() {
                return tampered(format!(
                    "the setting {key} was changed outside the till (it differs from its journal)"
                ));
            }
        }
        Ok(())
    }

    pub(super) fn check_legacy_numbers(&self, w: &Walk) -> Result<(), LedgerError> {
        for (series, journaled) in [
            ("receipt", &w.legacy_receipts),
            ("refund", &w.legacy_refunds),
        ] {
            if &self.legacy_numbers(series)? != journaled {
                return tampered(format!(
                    "where the old {series} numbers end differs from the journal"
                ));
            }
        }
        Ok(())
    }
}
