package org.licensim.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.licensim.core.directory.Tenant;
import org.licensim.core.io.SnapshotReader;

/** Rules from the Entra docs on dynamic membership, evaluated on a small user table with the members worked out by hand. */
class RuleDocsExamplesTest {
    static final String USERS = "{\"tenant\": {\"id\": \"t\", \"countryLetterCode\": \"NL\"}, \"users\": ["
            + "{\"id\": \"u1\", \"department\": \"Sales\", \"country\": \"US\", \"jobTitle\": \"Engineer II\", \"city\": \"Lagos\", "
            + "\"usageLocation\": \"US\", \"userType\": \"Member\", \"mail\": \"a@contoso.com\", \"displayName\": \"David\", "
            + "\"employeeId\": \"E1\", \"proxyAddresses\": [\"SMTP:a@contoso.com\", \"smtp:alias@fabrikam.com\"], "
            + "\"onPremisesExtensionAttributes\": {\"extensionAttribute7\": \"x\"}},"
            + "{\"id\": \"u2\", \"department\": \"Marketing\", \"country\": \"NL\", \"jobTitle\": \"Senior Developer\", "
            + "\"city\": \"Amsterdam\", \"usageLocation\": \"NL\", \"userType\": \"Guest\", \"displayName\": \"Dana\"},"
            + "{\"id\": \"u3\", \"department\": \"Sales\", \"country\": \"NL\", \"jobTitle\": \"SDE\", \"city\": \"Ibadan\", "
            + "\"accountEnabled\": false, \"usageLocation\": \"BE\", \"userType\": \"Member\", \"displayName\": \"aDa\", "
            + "\"proxyAddresses\": [\"SMTP:c@contoso.com\"], \"otherMails\": [\"c@outlook.com\"]},"
            + "{\"id\": \"u4\", \"country\": \"US\", \"jobTitle\": \"Engineer\", \"city\": \"Lagos\", \"usageLocation\": \"LU\", "
            + "\"userType\": \"Member\", \"displayName\": \"Davina\", \"mailNickname\": \"d-vendor\", "
            + "\"proxyAddresses\": [\"smtp:d@contoso.onmicrosoft.com\"]},"
            + "{\"id\": \"u5\", \"department\": \"Accounts\", \"city\": \"Port Harcourt\", \"userType\": \"Member\", "
            + "\"displayName\": \"Vid\", \"employeeId\": \"E5\", \"jobTitle\": \"Developer Advocate\"}]}";

    static final String[][] RULES = {
        {"(user.department -eq \"Sales\") -and (user.country -eq \"US\")", "u1"},
        {"user.jobTitle -startsWith \"Engineer\" -or user.jobTitle -contains \"Developer\"", "u1 u2 u4 u5"},
        {"user.usageLocation -in [\"NL\",\"BE\",\"LU\"]", "u2 u3 u4"},
        {"user.accountEnabled -eq true", "u1 u2 u4 u5"},
        {"user.proxyAddresses -any (_ -contains \"contoso\")", "u1 u3 u4"},
        {"user.extensionAttribute7 -ne null", "u1"},
        {"user.department -eq \"Sales\"", "u1 u3"},
        {"user.city -eq \"Lagos\"", "u1 u4"},
        {"user.city -startswith \"Lag\"", "u1 u4"},
        {"user.city -match \"ago\"", "u1 u4"},
        {"user.city -match \".*?ago.*\"", "u1 u4"},
        {"user.department -eq \"Accounts\" -and user.city -in [\"Lagos\", \"Ibadan\", \"Kaduna\", \"Abuja\", \"Port Harcourt\"]", "u5"},
        {"user.city -notin [\"Lagos\", \"Ibadan\", \"Kaduna\", \"Abuja\", \"Port Harcourt\"]", "u2"},
        {"(user.department -eq \"Sales\") -or (user.department -eq \"Marketing\")", "u1 u2 u3"},
        {"(user.department -eq \"Sales\") -and -not (user.jobTitle -startsWith \"SDE\")", "u1"},
        {"user.department \u2013eq \"Marketing\" \u2013and user.country \u2013eq \"US\"", ""},
        {"user.country \u2013eq \"US\" \u2013and (user.department \u2013eq \"Marketing\" \u2013or user.department \u2013eq \"Sales\")", "u1"},
        {"user.displayName -match \"^Da.*\"", "u1 u2 u4"},
        {"user.displayName -match \".*vid\"", "u1 u5"},
        {"user.department -eq null", "u4"},
        {"user.mail \u2013ne null", "u1"},
        {"user.objectId -ne null", "u1 u2 u3 u4 u5"},
        {"(user.objectId -ne null) -and (user.userType -eq \"Member\")", "u1 u3 u4 u5"},
        {"user.department -in [\"50001\",\"50002\",\"50003\"]", ""},
        {"(user.proxyAddresses -any (_ -startsWith \"contoso\"))", ""},
        {"user.proxyAddresses -any (_ -startsWith \"smtp:a\")", "u1"},
        {"user.otherMails -any (_ -endsWith \"@outlook.com\")", "u3"},
        {"user.mailNickName -endsWith \"-vendor\"", "u4"},
        {"user.mail -notEndsWith \"@Contoso.com\"", "u2 u3 u4 u5"},
        {"user.employeeId -ne null", "u1 u5"},
        {"user.userType -eq \"Member\"", "u1 u3 u4 u5"},
        {"user.proxyAddresses -all (_ -contains \"contoso\")", "u2 u3 u4 u5"},
        {"user.usageLocation -eq \"us\"", "u1"},
        {"user.department -eq `\"Sales`\"", ""},
        {"user.accountEnabled eq false", "u3"},
        {"-not (user.accountEnabled -eq true)", "u3"},
        {"user.objectId -eq \"U2\"", "u2"},
        {"user.otherMails -startsWith \"c@\"", "u3"},
    };

    @TestFactory
    Stream<DynamicTest> docsExamples() throws Exception {
        Tenant t = SnapshotReader.withDefaults().read(new ByteArrayInputStream(USERS.getBytes(StandardCharsets.UTF_8)),
                "users.json");
        assertEquals(38, RULES.length);
        return Stream.of(RULES).map(r -> DynamicTest.dynamicTest("R19 " + r[0], () -> {
            CompiledRule rule = CompiledRule.compile(r[0], t.users());
            List<String> members = new ArrayList<>();
            for (int u = 0; u < t.users().size(); u++) {
                if (rule.matches(u)) {
                    members.add(t.users().id(u));
                }
            }
            assertEquals(r[1], String.join(" ", members), r[0]);
        }));
    }
}
