import Foundation

/// The rules a new password must satisfy: long enough, not too long for bcrypt, and not one
/// of the passwords that attackers try first (NIST SP 800-63B §5.1.1.2).
public enum PasswordRules {
    public static let minimumLength = 10
    /// bcrypt reads at most 72 bytes; refusing longer inputs avoids a false sense of strength.
    public static let maximumBytes = 72

    /// Problems with `password`, phrased for the person choosing it. Empty means acceptable.
    public static func problems(with password: String, email: String? = nil) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength {
            problems.append("Use at least \(minimumLength) characters. A few unrelated words make a strong, memorable password.")
        }
        if password.utf8.count > maximumBytes {
            problems.append("Use at most \(maximumBytes) bytes (about \(maximumBytes) plain letters).")
        }
        let lowered = password.lowercased()
        if CommonPasswords.contains(lowered) {
            problems.append("This password is on the list of the most common passwords, which attackers try first. Choose another.")
        } else if let email, let local = email.split(separator: "@").first, local.count >= 4, lowered.contains(local.lowercased()) {
            problems.append("Do not use your email address in the password.")
        } else if Set(lowered).count <= 2 {
            problems.append("Use more than one or two different characters.")
        }
        return problems
    }
}

/// The most common passwords from public breach corpora. Every entry here is at least the
/// minimum length or a common stem that people pad with digits; shorter ones are already
/// refused by the length rule.
enum CommonPasswords {
    static func contains(_ lowered: String) -> Bool {
        if list.contains(lowered) { return true }
        // "password123", "qwerty2024!": a listed stem with digits or symbols appended.
        let stem = String(lowered.reversed().drop(while: { $0.isNumber || "!@#$%^&*?.".contains($0) }).reversed())
        return stem != lowered && stem.count >= 4 && list.contains(stem)
    }

    static let list: Set<String> = [
        "password", "passw0rd", "p@ssw0rd", "p@ssword", "pass", "qwerty", "qwertyuiop", "qwerty123",
        "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910", "0123456789",
        "111111", "1111111111", "000000", "0000000000", "123123", "123123123", "654321", "987654321",
        "abc123", "abcdef", "abcdefg", "abcdefgh", "abcd1234", "a1b2c3d4", "1q2w3e4r", "1q2w3e4r5t",
        "1qaz2wsx", "zaq12wsx", "qazwsx", "qazwsxedc", "asdfgh", "asdfghjkl", "zxcvbnm", "zxcvbn",
        "iloveyou", "iloveyou1", "letmein", "welcome", "welcome1", "monkey", "dragon", "master",
        "sunshine", "princess", "football", "baseball", "basketball", "soccer", "hockey", "superman",
        "batman", "trustno1", "shadow", "michael", "jennifer", "jordan", "hunter", "hunter2",
        "charlie", "michelle", "jessica", "daniel", "ashley", "nicole", "matthew", "andrew",
        "starwars", "whatever", "freedom", "computer", "internet", "secret", "changeme", "changeit",
        "admin", "administrator", "root", "toor", "login", "guest", "default", "test", "testing",
        "test1234", "access", "mustang", "harley", "ranger", "thomas", "robert", "killer",
        "pokemon", "pepper", "ginger", "summer", "winter", "spring", "autumn", "flower", "cookie",
        "chocolate", "butterfly", "purple", "orange", "banana", "chelsea", "liverpool", "arsenal",
        "lovely", "loveme", "babygirl", "angel", "anthony", "tigger", "buster", "soccer1",
        "passpass", "password1", "password12", "password123", "password1234", "passwordpassword",
        "qwerty1234", "qwertyui", "asdf1234", "asdfasdf", "11111111", "22222222", "88888888",
        "12341234", "11223344", "112233", "121212", "123321", "666666", "696969", "7777777",
        "999999", "555555", "159753", "147258369", "741852963", "789456123", "987654321",
        "q1w2e3r4", "q1w2e3r4t5", "aaaaaa", "aaaaaaaaaa", "zzzzzz", "google", "facebook",
        "linkedin", "yahoo", "microsoft", "apple", "samsung", "iphone", "android", "onconav",
        "cancer", "chemo", "hospital", "doctor", "nurse", "health", "medical", "patient",
        "family", "mother", "father", "daughter", "blessed", "jesus", "jesus1", "god", "faith",
        "hope", "love", "lovelove", "money", "friends", "friend", "letmein1", "welcome123",
        "sunshine1", "princess1", "football1", "monkey1", "dragon1", "master1", "abc12345",
        "1234qwer", "qwer1234", "zxcv1234", "aa123456", "a123456", "a12345678", "123456a",
        "123456789a", "1234abcd", "starwars1", "superstar", "rockyou", "qwe123", "qweasd",
        "qweasdzxc", "asd123", "zxc123", "147258", "123qwe", "123qweasd", "1qazxsw2",
        "mypassword", "newpassword", "yourpassword", "passwort", "motdepasse", "contraseña",
        "senha", "parola", "wachtwoord", "haslo", "salasana",
    ]
}
