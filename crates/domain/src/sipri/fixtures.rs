//! Test fixtures shared by the SIPRI modules' tests: register text in both layouts and
//! helpers to read it.

use super::*;

pub(super) const NOTES: &str = "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made for the year range '1995' to '2025';\r\n\
    A '?' in a column indicates uncertain data.;\r\n\
    A '0' for 'SIPRI TIV of delivered weapons' indicates ...\r\n\
    ;\r\n\
    Data generated: 12 Feb 2026 12:26:12 PM;\r\n";
pub(super) const HEADER: &str = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production;\r\n";
/// The line of the first data row in `file(..)`.
pub(super) const FIRST: usize = 7;

pub(super) const K9_2023: &str = "65687,South Korea,Poland,K-9 155mm -,self-propelled gun,Artillery,2022,No,48,No,2023,No,New,4.34,4.34,208.32,Yes";
pub(super) const K9_2022: &str = "65687,South Korea,Poland,K-9 155mm -,self-propelled gun,Artillery,2022,No,24,No,2022,No,New,4.34,4.34,104.16,Yes";
pub(super) const PUCARA: &str = "32179,Argentina,Uruguay,Pucara,ground-attack aircraft,Aircraft,2000,No,1,No,2000,No,Second hand,5,2,2,No";

/// Notes, header and `rows`, each line ending in `;` and CRLF as SIPRI writes them.
pub(super) fn file(rows: &[&str]) -> String {
    let mut s = format!("{NOTES}{HEADER}");
    for r in rows {
        s.push_str(r);
        s.push_str(";\r\n");
    }
    s
}

pub(super) fn parse(text: &str) -> Result<Register, Vec<Problem>> {
    parse_register("t.csv", text.as_bytes())
}

pub(super) fn ok(text: &str) -> Register {
    match parse(text) {
        Ok(r) => r,
        Err(ps) => panic!("unexpected problems: {ps:#?}"),
    }
}

/// The problems, as `location: message` strings.
pub(super) fn problems(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(r) => panic!("expected problems, parsed {} deals", r.deals.len()),
        Err(ps) => ps.iter().map(ToString::to_string).collect(),
    }
}

pub(super) fn state(code: &str, name: &str) -> Actor {
    Actor::State {
        code: code.to_string(),
        name: name.to_string(),
    }
}

pub(super) const OLD_NOTES: &str = "Trade register\r\n\
    Transfers of major conventional arms. Deals with deliveries or orders made for the year range 2010 to 2025\r\n\
    Source: SIPRI Arms Transfers Database\r\n\
    Data generated: 3 March 2025\r\n\
    \r\n";
pub(super) const OLD_HEADER: &str = "Recipient,Supplier,Year of order,,Number ordered,,Weapon designation,Weapon description,Number delivered,,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\r\n";
/// The line of the first data row in `old_file(..)`.
pub(super) const OLD_FIRST: usize = 7;

pub(super) const X1: &str = "India,Israel,2024,,10,,X-1,UAV,0,,,,,5,50,0";
pub(super) const X4: &str = "Azerbaijan,Israel,(2025),,4,,X-4,UAV,0,,,,,2.5,10,0";
pub(super) const X3: &str = "India,Israel,2023,,2,,X-3,radar,2,,2024,,,10,20,20";
/// `?` in the three unnamed columns, a range of delivery years.
pub(super) const JF17: &str = "Pakistan,China,2015,?,8,?,JF-17,FGA aircraft,6,?,2017-2019,New,assembled in Pakistan,15,120,90";
/// Marks on the values themselves; several parts in a quoted year list.
pub(super) const RAFALE: &str = "Egypt,France,2010?,,(24),,Rafale,FGA aircraft,12?,,\"2010; 2012-(2013)\",Second hand but modernized,\"with a comma, and a ; too\",50,1200,600";
pub(super) const FAJR: &str =
    "Hezbollah (Lebanon)*,Iran,(2006),,(100),,Fajr-3,artillery rocket,100,?,(2006),,,0.1,10,10";
pub(super) const BTR: &str =
    "Ukraine,unknown supplier(s),2022,,,,BTR-X,APC,3,,\"2022,2023\",second hand,,1,,0.8";

/// Older-layout notes, header and `rows`, CRLF line ends.
pub(super) fn old_file(rows: &[&str]) -> String {
    let mut s = format!("{OLD_NOTES}{OLD_HEADER}");
    for r in rows {
        s.push_str(r);
        s.push_str("\r\n");
    }
    s
}

pub(super) fn delivery(year: u16, year_estimated: bool) -> Delivery {
    Delivery {
        year,
        year_estimated,
        number: None,
        number_estimated: false,
        tiv: None,
    }
}

pub(super) fn real_bytes() -> Vec<u8> {
    crate::testdata::read("sipri/trade_register.csv")
}
