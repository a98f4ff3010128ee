package org.licensim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;

/**
 * The type casts the SDKs add to a list whose items all have that type here: a group's members as
 * users ({@code members().graphUser()}), a user's groups as groups ({@code memberOf().graphGroup()}),
 * and their {@code /$count}: the same items as the list without the cast.
 */
class TypeCastTest {
    @Test
    @DisplayName("members().graphUser(), memberOf().graphGroup(), transitiveMemberOf().graphGroup() and graphUser().count() through the Java SDK")
    void castsThroughTheSdk() throws Exception {
        ServeConfig c = new ServeConfig();
        c.snapshot = Files.readAllBytes(ServerFixture.CONTOSO);
        c.port = 0;
        c.token = GraphSdkTest.TOKEN;
        try (GraphServer s = GraphServer.start(c)) {
            GraphServiceClient graph = GraphSdkTest.client(s);
            List<String> members = graph.groups().byGroupId(GraphSdkTest.SALES).members().get().getValue().stream()
                    .map(o -> o.getId()).toList();
            List<User> users = graph.groups().byGroupId(GraphSdkTest.SALES).members().graphUser().get().getValue();
            assertTrue(!members.isEmpty());
            assertEquals(members, users.stream().map(User::getId).toList());
            assertEquals(members.size(), graph.groups().byGroupId(GraphSdkTest.SALES).members().graphUser().count()
                    .get(q -> q.headers.add("ConsistencyLevel", "eventual")));
            List<String> groups = graph.users().byUserId(GraphSdkTest.ADELE).memberOf().get().getValue().stream()
                    .map(o -> o.getId()).toList();
            List<Group> cast = graph.users().byUserId(GraphSdkTest.ADELE).memberOf().graphGroup().get().getValue();
            assertTrue(!groups.isEmpty());
            assertEquals(groups, cast.stream().map(Group::getId).toList());
            // the cast as Graph's docs write it, over plain HTTP (c.token set: with the token)
            ServerFixture.Answer full = ServerFixture.get(s, "/v1.0/groups/" + GraphSdkTest.SALES
                    + "/members/microsoft.graph.user?$select=id", "Authorization", "Bearer " + GraphSdkTest.TOKEN);
            assertEquals(200, full.status(), full.raw().body());
            assertEquals(members.size(), full.json().get("value").size());
            assertEquals(graph.users().byUserId(GraphSdkTest.ADELE).transitiveMemberOf().get().getValue().size(),
                    graph.users().byUserId(GraphSdkTest.ADELE).transitiveMemberOf().graphGroup().get().getValue().size());
        }
    }
}
