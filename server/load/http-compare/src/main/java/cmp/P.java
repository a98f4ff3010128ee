package cmp;
public class P { static byte[] body() { StringBuilder sb = new StringBuilder("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users(licenseAssignmentStates)/$entity\",\"id\":\"a1b2c3d4-0001-4000-8000-000000000001\",\"licenseAssignmentStates\":[");
 for (int i=0;i<3;i++) sb.append(i>0?",":"").append("{\"assignedByGroup\":null,\"disabledPlans\":[],\"error\":\"None\",\"lastUpdatedDateTime\":\"2026-12-01T00:00:00Z\",\"skuId\":\"6fd2c87f-b296-42f0-b197-1e91e994b900\",\"state\":\"Active\"}");
 return sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8); } }
