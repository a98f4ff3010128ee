package org.licensim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.AssignedLicense;
import com.microsoft.graph.models.DirectoryObjectCollectionResponse;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.LicenseAssignmentState;
import com.microsoft.graph.models.SubscribedSku;
import com.microsoft.graph.models.SubscribedSkuCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;

/**
 * The server as Microsoft's Graph Java SDK sees it: every call goes through the SDK's own request
 * builders, serializers and typed models, so a shape that differs from Graph's fails here. The
 * tenant is examples/contoso-small.json (a fresh server per test); the paging test serves a
 * generated 10,000-user tenant.
 */
class GraphSdkTest {
    static final String E3 = "6fd2c87f-b296-42f0-b197-1e91e994b900";
    static final String E1 = "18181a46-0d4e-45cd-891e-60aabd171b4e";
    static final String EMS = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e";
    static final String WPA = "3d957427-ecdc-4df2-aacd-01cc9d519da8";
    static final String AUDIO = "0c266dff-15dd-4b49-8397-2bb16070ed52";
    static final String ADELE = "a1b2c3d4-0001-4000-8000-000000000001";
    static final String DIEGO = "a1b2c3d4-0003-4000-8000-000000000003";
    static final String GRADY = "a1b2c3d4-0004-4000-8000-000000000004";
    static final String USER9 = "a1b2c3d4-0009-4000-8000-000000000009";
    static final String USER10 = "a1b2c3d4-0010-4000-8000-000000000010";
    static final String SALES = "b0000000-0000-4000-8000-0000000000a1";
    static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.sig";

    GraphServer server;
    GraphServiceClient client;

    @BeforeEach
    void start() throws Exception {
        ServeConfig c = new ServeConfig();
        c.snapshot = java.nio.file.Files.readAllBytes(ServerFixture.CONTOSO);
        c.port = 0;
        c.token = TOKEN;
        c.processingRate = 2; // group jobs take a visible while: 3 members, about 1.5 s
        server = GraphServer.start(c);
        client = client(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A Graph SDK client whose base URL is the server, sending the token to 127.0.0.1 only. */
    static GraphServiceClient client(GraphServer s) {
        AccessTokenProvider tokens = new AccessTokenProvider() {
            private final AllowedHostsValidator hosts = new AllowedHostsValidator("127.0.0.1");

            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return TOKEN;
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
        GraphServiceClient c = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens));
        c.getRequestAdapter().setBaseUrl(s.baseUrl());
        return c;
    }

    static com.microsoft.graph.users.item.assignlicense.AssignLicensePostRequestBody userBody(List<String> add,
                                                                                             List<String> remove) {
        var b = new com.microsoft.graph.users.item.assignlicense.AssignLicensePostRequestBody();
        b.setAddLicenses(licences(add));
        b.setRemoveLicenses(remove.stream().map(UUID::fromString).toList());
        return b;
    }

    static List<AssignedLicense> licences(List<String> add) {
        List<AssignedLicense> out = new ArrayList<>();
        for (String s : add) {
            AssignedLicense a = new AssignedLicense();
            a.setSkuId(s == null ? null : UUID.fromString(s));
            a.setDisabledPlans(List.of());
            out.add(a);
        }
        return out;
    }

    private User states(String user) {
        return client.users().byUserId(user).get(rc -> rc.queryParameters.select = new String[]{"id",
                "assignedLicenses", "licenseAssignmentStates"});
    }

    private static Set<String> skus(User u) {
        Set<String> out = new HashSet<>();
        u.getAssignedLicenses().forEach(a -> out.add(a.getSkuId().toString()));
        return out;
    }

    @Test
    @DisplayName("subscribedSkus: the SDK reads each product's seats, consumption and plans")
    void listsSubscribedSkus() {
        SubscribedSkuCollectionResponse r = client.subscribedSkus().get();
        assertEquals(5, r.getValue().size());
        SubscribedSku e3 = r.getValue().stream().filter(s -> s.getSkuId().toString().equals(E3)).findFirst().orElseThrow();
        assertEquals("ENTERPRISEPACK", e3.getSkuPartNumber());
        assertEquals(8, e3.getPrepaidUnits().getEnabled());
        assertEquals(7, e3.getConsumedUnits());
        assertEquals("7f3b2c1a-0d4e-4b5f-9a6c-1e2d3f4a5b6c_" + E3, e3.getId());
        assertTrue(e3.getServicePlans().size() > 5, "E3's service plans");
        SubscribedSku one = client.subscribedSkus().bySubscribedSkuId(e3.getId()).get();
        assertEquals(7, one.getConsumedUnits());
    }

    @Test
    @DisplayName("organization: the SDK reads the tenant's id and name, as scripts do to find the tenant they talk to")
    void readsTheOrganization() {
        var orgs = client.organization().get().getValue();
        assertEquals(1, orgs.size());
        assertEquals("7f3b2c1a-0d4e-4b5f-9a6c-1e2d3f4a5b6c", orgs.get(0).getId());
        assertEquals("Contoso Ltd", orgs.get(0).getDisplayName());
        assertEquals("NL", orgs.get(0).getCountryLetterCode());
        assertEquals("Contoso Ltd", client.organization().byOrganizationId(orgs.get(0).getId()).get().getDisplayName());
    }

    @Test
    @DisplayName("$search: the SDK finds a user by a word of the name, with the ConsistencyLevel header Graph asks for")
    void searchesUsers() {
        var found = client.users().get(c -> {
            c.queryParameters.search = "\"displayName:vance\"";
            c.queryParameters.select = new String[] {"id", "displayName"};
            c.headers.add("ConsistencyLevel", "eventual");
        }).getValue();
        assertEquals(List.of(ADELE), found.stream().map(User::getId).toList());
        ODataError refused = assertThrows(ODataError.class, () -> client.users().get(c -> c.queryParameters.search = "\"displayName:vance\""));
        assertEquals(400, refused.getResponseStatusCode());
    }

    @Test
    @DisplayName("memberOf: the SDK reads a user's groups as Group objects, as scripts do before changing a user's licences")
    void readsMemberOf() {
        var groups = client.users().byUserId("adele.vance@contoso.com").memberOf().get().getValue();
        assertEquals(2, groups.size());
        assertEquals(SALES, groups.get(0).getId());
        assertEquals("Sales - Office 365 E3",
                assertInstanceOf(Group.class, groups.get(0)).getDisplayName());
        var transitive = client.users().byUserId(ADELE).transitiveMemberOf().get().getValue();
        // Sales is a nested member of Contoso Social
        assertEquals(List.of(SALES, "b0000000-0000-4000-8000-0000000000a3", "b0000000-0000-4000-8000-0000000000a5"),
                transitive.stream().map(o -> o.getId()).toList());
    }

    @Test
    @DisplayName("R12 licenseAssignmentStates: direct and group sources of one user, by id and by userPrincipalName")
    void readsLicenseAssignmentStates() {
        User u = states("adele.vance@contoso.com");
        assertEquals(ADELE, u.getId());
        assertEquals(Set.of(E3, EMS, AUDIO), skus(u));
        List<LicenseAssignmentState> st = u.getLicenseAssignmentStates();
        assertEquals(3, st.size());
        LicenseAssignmentState direct = st.stream().filter(s -> s.getAssignedByGroup() == null).findFirst().orElseThrow();
        assertEquals(AUDIO, direct.getSkuId().toString());
        assertEquals("Active", direct.getState());
        LicenseAssignmentState e3 = st.stream().filter(s -> s.getSkuId().toString().equals(E3)).findFirst().orElseThrow();
        assertEquals(SALES, e3.getAssignedByGroup());
        assertEquals("None", e3.getError());
    }

    @Test
    @DisplayName("R23 assignLicense: a licence added and then removed through the SDK, the seat counted and freed")
    void assignsAndRemoves() {
        User after = client.users().byUserId(USER9).assignLicense().post(userBody(List.of(E3), List.of()));
        assertEquals(USER9, after.getId());
        assertTrue(skus(states(USER9)).contains(E3));
        assertEquals(8, client.subscribedSkus().get().getValue().stream()
                .filter(s -> s.getSkuId().toString().equals(E3)).findFirst().orElseThrow().getConsumedUnits());
        client.users().byUserId(USER9).assignLicense().post(userBody(List.of(), List.of(E3)));
        assertFalse(skus(states(USER9)).contains(E3));
        assertEquals(Set.of(EMS), skus(states(USER9)));
    }

    private ODataError refused(String user, List<String> add, List<String> remove) {
        ODataError e = assertThrows(ODataError.class,
                () -> client.users().byUserId(user).assignLicense().post(userBody(add, remove)));
        assertEquals(400, e.getResponseStatusCode());
        assertEquals("Request_BadRequest", e.getError().getCode());
        assertNotNull(e.getError().getInnerError().getRequestId());
        return e;
    }

    @Test
    @DisplayName("R10 R13 R14 R15 assignLicense failures come back as the SDK's ODataError with Graph's messages, and change nothing")
    void refusesEachFailureKind() {
        client.users().byUserId(USER9).assignLicense().post(userBody(List.of(E3), List.of())); // the last E3 seat
        assertTrue(refused(USER10, List.of(E3), List.of()).getError().getMessage()
                .startsWith("Subscription with SKU " + E3 + " does not have any available licenses"));
        assertTrue(refused(ADELE, List.of(E1), List.of()).getError().getMessage()
                .contains("mutually exclusive"));
        assertTrue(refused(USER10, List.of(WPA), List.of()).getError().getMessage()
                .contains("depends on"), "WPA needs Exchange, which user 10 does not have");
        assertEquals("License assignment cannot be done for user with invalid usage location.",
                refused(GRADY, List.of(E1), List.of()).getError().getMessage());
        assertEquals("User license is inherited from a group membership and it cannot be removed directly from the user.",
                refused(ADELE, List.of(), List.of(E3)).getError().getMessage());
        String unknown = "11111111-2222-4333-8444-555555555555";
        assertEquals("License " + unknown + " does not correspond to a valid company License.",
                refused(ADELE, List.of(unknown), List.of()).getError().getMessage());
        java.util.ArrayList<String> nullSku = new java.util.ArrayList<>();
        nullSku.add(null);
        assertEquals("Invalid value specified for property 'skuId' of resource 'AssignedLicense'.",
                refused(ADELE, nullSku, List.of()).getError().getMessage());
        // nothing of the refused requests stuck
        assertEquals(Set.of(EMS), skus(states(USER10)));
        assertEquals(Set.of(E3, EMS, AUDIO), skus(states(ADELE)));
        ODataError missing = assertThrows(ODataError.class, () -> client.users().byUserId("nobody@contoso.com").get());
        assertEquals(404, missing.getResponseStatusCode());
        assertEquals("Request_ResourceNotFound", missing.getError().getCode());
    }

    @Test
    @DisplayName("R10 group assignLicense: 202, licenseProcessingState goes Queued -> InProgress -> Complete, then the member without a seat is listed in membersWithLicenseErrors")
    void groupAssignmentIsProcessedAsynchronously() throws Exception {
        var body = new com.microsoft.graph.groups.item.assignlicense.AssignLicensePostRequestBody();
        body.setAddLicenses(licences(List.of(WPA)));
        body.setRemoveLicenses(List.of());
        Group accepted = client.groups().byGroupId(SALES).assignLicense().post(body);
        assertEquals(SALES, accepted.getId());
        List<String> order = List.of("QueuedForProcessing", "ProcessingInProgress", "ProcessingComplete");
        int last = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        String state;
        do {
            Group g = client.groups().byGroupId(SALES).get(rc -> rc.queryParameters.select = new String[]{"id",
                    "assignedLicenses", "licenseProcessingState", "hasMembersWithLicenseErrors"});
            state = g.getLicenseProcessingState().getState();
            int at = order.indexOf(state);
            assertTrue(at >= last, "state went back from " + order.get(last) + " to " + state);
            last = at;
            if (!state.equals("ProcessingComplete")) {
                Thread.sleep(50);
            }
        } while (!state.equals("ProcessingComplete") && System.nanoTime() < deadline);
        assertEquals("ProcessingComplete", state);
        Group done = client.groups().byGroupId(SALES).get(rc -> rc.queryParameters.select = new String[]{"id",
                "assignedLicenses", "hasMembersWithLicenseErrors"});
        assertTrue(done.getAssignedLicenses().stream().anyMatch(a -> a.getSkuId().toString().equals(WPA)));
        assertTrue(done.getHasMembersWithLicenseErrors());
        // one WPA seat was left: Adele (first in R11 order) has it, Alex already holds WPA from the pilot group
        // (R3: one seat however many sources), Diego is in CountViolation
        DirectoryObjectCollectionResponse errs = client.groups().byGroupId(SALES).membersWithLicenseErrors().get();
        assertEquals(List.of(DIEGO), errs.getValue().stream().map(o -> o.getId()).toList());
        for (var o : errs.getValue()) {
            assertTrue(o instanceof User, "members are typed users");
            User u = states(o.getId());
            assertTrue(u.getLicenseAssignmentStates().stream().anyMatch(s -> s.getSkuId().toString().equals(WPA)
                    && s.getState().equals("Error") && s.getError().equals("CountViolation")));
        }
        assertTrue(skus(states(ADELE)).contains(WPA));
    }

    @Test
    @DisplayName("R18 reprocessLicenseAssignment: a failed member gets the seat once one is free")
    void reprocesses() throws Exception {
        var body = new com.microsoft.graph.groups.item.assignlicense.AssignLicensePostRequestBody();
        body.setAddLicenses(licences(List.of(WPA)));
        body.setRemoveLicenses(List.of());
        client.groups().byGroupId(SALES).assignLicense().post(body);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (server.pendingGroupJobs() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.pendingGroupJobs());
        // free a WPA seat: user 8's direct... user 2 holds WPA from the pilot group; take user 8 out of it
        ServerFixture.Answer removed = ServerFixture.send(server, "DELETE",
                "/v1.0/groups/b0000000-0000-4000-8000-0000000000a4/members/a1b2c3d4-0008-4000-8000-000000000008/$ref",
                null, null, "Authorization", "Bearer " + TOKEN);
        assertEquals(204, removed.status());
        User u = client.users().byUserId(DIEGO).reprocessLicenseAssignment().post();
        assertEquals(DIEGO, u.getId());
        assertTrue(states(DIEGO).getLicenseAssignmentStates().stream().anyMatch(s -> s.getSkuId().toString().equals(WPA)
                && s.getState().equals("Active")));
    }

    @Test
    @DisplayName("$batch: the SDK's BatchRequestContent, three requests, typed answers")
    void batches() throws Exception {
        BatchRequestContent batch = new BatchRequestContent(client);
        RequestInformation read = client.users().byUserId(ADELE).toGetRequestInformation(rc ->
                rc.queryParameters.select = new String[]{"id", "assignedLicenses"});
        String a = batch.addBatchRequestStep(read);
        String b = batch.addBatchRequestStep(client.users().byUserId(USER9).assignLicense()
                .toPostRequestInformation(userBody(List.of(E3), List.of())));
        String c = batch.addBatchRequestStep(client.users().byUserId(USER10).assignLicense()
                .toPostRequestInformation(userBody(List.of(E3), List.of())));
        BatchResponseContent r = client.getBatchRequestBuilder().post(batch, null);
        assertEquals(200, r.getResponsesStatusCode().get(a));
        assertEquals(200, r.getResponsesStatusCode().get(b));
        assertEquals(400, r.getResponsesStatusCode().get(c), "the last E3 seat went to the request before");
        User adele = r.getResponseById(a, User::createFromDiscriminatorValue);
        assertEquals(Set.of(E3, EMS, AUDIO), skus(adele));
        User nine = r.getResponseById(b, User::createFromDiscriminatorValue);
        assertEquals(USER9, nine.getId());
        assertTrue(skus(states(USER9)).contains(E3));
    }

    @Test
    @DisplayName("paging: the SDK's PageIterator walks 10,000 users, 999 a page, each once")
    void pagesThroughTenThousandUsers() throws Exception {
        ServeConfig c = new ServeConfig();
        c.snapshot = ServerFixture.syntheticTenant(10_000, 0);
        c.port = 0;
        try (GraphServer big = GraphServer.start(c)) {
            GraphServiceClient sdk = client(big);
            UserCollectionResponse first = sdk.users().get(rc -> {
                rc.queryParameters.top = 999;
                rc.queryParameters.select = new String[]{"id", "assignedLicenses"};
            });
            assertEquals(999, first.getValue().size());
            assertNotNull(first.getOdataNextLink());
            assertTrue(first.getOdataNextLink().startsWith(big.baseUrl() + "/users?"), first.getOdataNextLink());
            Set<String> ids = new HashSet<>();
            PageIterator<User, UserCollectionResponse> it = new PageIterator.Builder<User, UserCollectionResponse>()
                    .client(sdk)
                    .collectionPage(first)
                    .collectionPageFactory(UserCollectionResponse::createFromDiscriminatorValue)
                    .processPageItemCallback(u -> {
                        assertTrue(ids.add(u.getId()), "user " + u.getId() + " seen twice");
                        assertNotNull(u.getAssignedLicenses());
                        return true;
                    })
                    .build();
            it.iterate();
            assertEquals(10_000, ids.size());
            assertEquals(big.engine().tenant().users().liveCount(), ids.size());
        }
    }
}
