import Testing

@testable import FolioServer

/// How the customer filters compare text (`SearchText`): the folding of
/// `billing_name`, the caseless match of `customer_email`, both ways.
@Suite struct SearchTextTests {
    @Test func accentsAndCaseFoldBothWays() {
        let k = SearchText.nameKey
        for (a, b) in [
            ("Müller", "muller"), ("MÜLLER", "Muller"), ("José", "jose"), ("JOSÉ", "José"), ("Zoë", "ZOE"),
            ("Faßbender", "FASSBENDER"), ("Øvergaard", "overgaard"), ("Łucja", "LUCJA"), ("Dvořák", "dvorak"),
            ("Nguyễn", "nguyen"), ("Ångström", "angstrom"), ("Yılmaz", "YILMAZ"), ("İnès", "ines"), ("Æsir", "aesir"),
            ("Þór", "thor"), ("Ðorđe", "dorde"), ("Œuvre", "oeuvre"), ("Ἀθηνᾶ", "αθηνα"), ("Ёлка", "елка"),
            ("ΣΟΦΟΣ", "σοφος"),
        ] {
            #expect(k(a) == k(b), "\(a) ≡ \(b): \(k(a)) vs \(k(b))")
        }
        // Typed decomposed or precomposed: one key.
        #expect(k("Mu\u{308}ller") == k("Müller") && k("Jose\u{301}") == "jose")
        // Spaces: runs are one, none at the ends; tabs and line breaks are spaces.
        #expect(k("  von \t Hohenzollern\n") == "von hohenzollern")
        // Invisible format characters are nothing.
        #expect(k("Zo\u{200B}ë\u{00AD}") == "zoe" && k("\u{FEFF}Ana\u{200D}") == "ana")
    }

    @Test func otherScriptsKeepTheirMarksAndTheirSyllables() {
        let k = SearchText.nameKey
        #expect(k("ガ") != k("カ"), "a Japanese voiced mark is part of the letter")
        #expect(k("민준") == "민준", "Hangul stays in syllables: 미 is not found in 민")
        #expect(!k("민준").contains(k("미")))
        #expect(k("太郎 山田") == "太郎 山田")
        #expect(k("Zoë 🦄 Smith").contains(k("🦄")))
        #expect(k("👩‍💻") == k("👩💻"), "a joiner is a format character")
        // Compatibility forms are not folded: full-width letters stay themselves.
        #expect(k("Ｍüller") != k("Muller"))
    }

    @Test func emailsAreExactAndCaseless() {
        let k = SearchText.emailKey
        #expect(k("  Jose.Alvarez7@Example.COM ") == "jose.alvarez7@example.com")
        #expect(k("ÉLODIE@exemple.fr") == k("élodie@exemple.fr"))
        #expect(k("E\u{301}LODIE@exemple.fr") == k("élodie@exemple.fr"), "decomposed or precomposed")
        #expect(k("josé@example.com") != k("jose@example.com"), "an accent is part of an address")
        #expect(k("STRASSE@example.de") == k("straße@example.de"), "full case folding")
        #expect(k("ΣΟΦΟΣ@example.gr") == k("σοφος@example.gr") && k("σοφος@example.gr") == k("σοφοσ@example.gr"))
        #expect(k("a b@example.com") != k("ab@example.com"), "inner spaces are kept: nothing matches them")
    }
}

extension SearchTextTests {
    @Test func whatAFilterRefuses() throws {
        func key(_ value: String) throws -> String? {
            try SearchText.filter(RequestInput(query: ["billing_name": [value]]), "billing_name", key: SearchText.nameKey)
        }
        #expect(try key(" Müller ") == "muller")
        #expect(try SearchText.filter(RequestInput(), "billing_name", key: SearchText.nameKey) == nil, "absent is no filter")
        for refused in ["", "  \t", "\u{301}", "\u{200B}\u{FEFF}", "a\u{0}b", "\u{1B}[31m", "\u{9B}", String(repeating: "a", count: 501)] {
            #expect(throws: APIError.self, "\(refused.debugDescription.prefix(20))") { try key(refused) }
        }
        #expect(try key(String(repeating: "é", count: 500)) == String(repeating: "e", count: 500), "500 code points are allowed")
        #expect(throws: APIError.self) { try key(String(repeating: "e\u{301}", count: 251)) }
    }
}
