//! An Aurpay simulator: the test double for every test of the till and the embedded demo
//! gateway. It speaks the wire format described by `aurpay`, on loopback only.
#![deny(missing_docs)]
