use super::*;

const GOOD: &str = "\u{feff}sku,name,category,price,tax_rate,tax_included\n\
    ESP,Espresso,Coffee,2.50,21,true\n\
    CAP,\"Cappuccino, large\",Coffee,3.5,21,true\n\
    BAG,Bagel,Food,3.00,8.375,false\n\
    ,Water,,0,0,true\n";

fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}

fn all(l: &Ledger) -> Vec<crate::ledger::Item> {
    l.items(&ItemQuery {
        inactive: true,
        ..ItemQuery::default()
    })
    .unwrap()
}

#[test]
fn a_catalog_imports_and_exports_the_same_file() {
    let mut l = Ledger::in_memory().unwrap();
    let done = import(&mut l, GOOD.as_bytes(), usd()).unwrap();
    assert_eq!((done.added, done.updated), (4, 0));
    let bagel = l.item_by_sku("BAG").unwrap().unwrap();
    assert_eq!(bagel.price_minor, 300);
    assert_eq!(bagel.tax_rate.tax.rate.to_string(), "8.375%");
    assert!(!bagel.tax_rate.tax.included);
    assert_eq!(bagel.category.as_deref(), Some("Food"));
    let names: Vec<_> = l
        .categories()
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.items))
        .collect();
    assert_eq!(names, [("Coffee".to_owned(), 2), ("Food".to_owned(), 1)]);
    assert_eq!(l.tax_rates().unwrap().len(), 3);

    let mut out = Vec::new();
    assert_eq!(export(&l, &mut out).unwrap(), 4);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "sku,name,category,price,tax_rate,tax_included,barcode,label,colour,active\n\
         BAG,Bagel,Food,3.00,8.375,false,,,,true\n\
         CAP,\"Cappuccino, large\",Coffee,3.50,21,true,,,,true\n\
         ESP,Espresso,Coffee,2.50,21,true,,,,true\n\
         ,Water,,0.00,0,true,,,,true\n"
    );
    // Importing the export again changes nothing and adds nothing.
    let again = import(&mut l, text.as_bytes(), usd()).unwrap();
    assert_eq!((again.added, again.updated), (0, 4));
    let mut second = Vec::new();
    export(&l, &mut second).unwrap();
    assert_eq!(String::from_utf8(second).unwrap(), text);
}

#[test]
fn a_row_with_a_known_sku_replaces_its_item() {
    let mut l = Ledger::in_memory().unwrap();
    import(&mut l, GOOD.as_bytes(), usd()).unwrap();
    let file = "name,sku,price,category,tax_rate,tax_included,active\nEspresso doppio,ESP,3.20,Coffee,21,true,false\n";
    let done = import(&mut l, file.as_bytes(), usd()).unwrap();
    assert_eq!((done.added, done.updated), (0, 1));
    let esp = l.item_by_sku("ESP").unwrap().unwrap();
    assert_eq!(
        (esp.name.as_str(), esp.price_minor, esp.active),
        ("Espresso doppio", 320, false)
    );
    assert_eq!(all(&l).len(), 4);
}

#[test]
fn a_bad_file_names_its_line_and_imports_nothing() {
    let mut l = Ledger::in_memory().unwrap();
    import(&mut l, GOOD.as_bytes(), usd()).unwrap();
    let before = all(&l);
    let header = "sku,name,category,price,tax_rate,tax_included\n";
    let cases: &[(&str, &str)] = &[
        (
            "A,Apple,Fruit,1.00,10,true\nB,Banana,Fruit,1.0.0,10,true\n",
            "line 3: price: \"1.0.0\" is not an amount; type digits with at most one point, as in 12.50; nothing was imported",
        ),
        (
            "A,Apple,Fruit,1.00,101,true\n",
            "line 2: the tax rate \"101\" is not a percentage from 0 to 100 (write 21 or 8.375); nothing was imported",
        ),
        (
            "A,Apple,Fruit,1.00,-5,true\n",
            "line 2: the tax rate \"-5\" is not a percentage from 0 to 100 (write 21 or 8.375); nothing was imported",
        ),
        (
            "A,Apple,Fruit,1.00,10,maybe\n",
            "line 2: tax_included must be true or false, not \"maybe\"; nothing was imported",
        ),
        (
            "A,Apple,Fruit,1.00,10,true\nA,Apricot,Fruit,2.00,10,true\n",
            "line 3: the SKU A is on line 2 too; nothing was imported",
        ),
        (
            "A,Apple,Fruit,1.00,10\n",
            "line 2: it has 5 fields where the header has 6; nothing was imported",
        ),
        (
            "A,,Fruit,1.00,10,true\n",
            "line 2: the name is empty; nothing was imported",
        ),
        (
            "A,Apple,Fruit,-1.00,10,true\n",
            "line 2: price: an amount cannot be negative; nothing was imported",
        ),
        ("", "the file has no items; nothing was imported"),
    ];
    for (rows, why) in cases {
        let file = format!("{header}{rows}");
        let e = import(&mut l, file.as_bytes(), usd()).unwrap_err();
        assert_eq!(e.to_string(), *why, "{rows}");
        assert_eq!(all(&l), before, "{rows}");
    }
    for (file, why) in [
        (
            "sku;name;category;price;tax_rate;tax_included\nA;Apple;Fruit;1;10;true\n",
            "the columns are separated by semicolons; save the file with commas; nothing was imported",
        ),
        (
            "sku,name,price,tax_rate,tax_included\nA,Apple,1,10,true\n",
            "the header has no category column (it needs sku,name,category,price,tax_rate,tax_included); nothing was imported",
        ),
        (
            "sku,name,category,price,tax_rate,tax_included,cost\nA,Apple,F,1,10,true,0.5\n",
            "the header has an unknown column \"cost\"; nothing was imported",
        ),
    ] {
        assert_eq!(import(&mut l, file.as_bytes(), usd()).unwrap_err().to_string(), why);
        assert_eq!(all(&l), before);
    }
    // A clash with the catalog (another item's barcode) is found inside the transaction: the
    // rows before it are taken back too.
    let mut item = check(
        &ItemForm {
            sku: "SCAN".into(),
            name: "Scanned".into(),
            price: "1".into(),
            tax_rate: "0".into(),
            tax_included: "true".into(),
            barcode: "4006381333931".into(),
            ..ItemForm::default()
        },
        usd(),
    )
    .unwrap();
    l.save_item(None, &item).unwrap();
    let before = all(&l);
    let file = "sku,name,category,price,tax_rate,tax_included,barcode\nNEW,New,,1,0,true,\nX,Other,,1,0,true,4006381333931\n";
    assert_eq!(
        import(&mut l, file.as_bytes(), usd())
            .unwrap_err()
            .to_string(),
        "line 3: another item already has the barcode 4006381333931; nothing was imported"
    );
    assert_eq!(all(&l), before);
    item.sku = Some("ESP".into());
    assert_eq!(
        l.save_item(None, &item)
            .map(|_| ())
            .unwrap_err()
            .to_string(),
        "another item already has the barcode 4006381333931"
    );
}

#[test]
fn items_are_found_by_search_category_and_scan() {
    let mut l = Ledger::in_memory().unwrap();
    import(&mut l, GOOD.as_bytes(), usd()).unwrap();
    let find = |text: &str| -> Vec<String> {
        l.items(&ItemQuery {
            text: Some(text.into()),
            ..ItemQuery::default()
        })
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect()
    };
    assert_eq!(find("cAp"), ["Cappuccino, large"]);
    assert_eq!(find("ba"), ["Bagel"]);
    assert_eq!(find("%"), Vec::<String>::new());
    let coffee = l.categories().unwrap()[0].id;
    let in_coffee = l
        .items(&ItemQuery {
            category: Some(coffee),
            ..ItemQuery::default()
        })
        .unwrap();
    assert_eq!(in_coffee.len(), 2);
    assert_eq!(l.item_by_code("ESP").unwrap().unwrap().name, "Espresso");
    assert!(l.item_by_code("nothing").unwrap().is_none());
}

#[test]
fn an_item_form_is_checked_field_by_field() {
    let ok = ItemForm {
        name: "Tea".into(),
        price: "2".into(),
        tax_rate: "7.7".into(),
        tax_included: "true".into(),
        colour: "#A0B1C2".into(),
        ..ItemForm::default()
    };
    let row = check(&ok, usd()).unwrap();
    assert_eq!(row.colour.as_deref(), Some("#a0b1c2"));
    for (change, why) in [
        (
            ItemForm {
                colour: "red".into(),
                ..ok.clone()
            },
            "the colour \"red\" is not written as #rrggbb",
        ),
        (
            ItemForm {
                sku: "A B".into(),
                ..ok.clone()
            },
            "the SKU \"A B\" has a space",
        ),
        (
            ItemForm {
                name: "Te\u{7}a".into(),
                ..ok.clone()
            },
            "the name has a control character",
        ),
        (
            ItemForm {
                price: "2.005".into(),
                ..ok.clone()
            },
            "price: USD has 2 decimal place(s); \"2.005\" has more",
        ),
    ] {
        assert_eq!(check(&change, usd()).unwrap_err(), why);
    }
}
