package org.licensim.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.licensim.core.directory.UserData;
import org.licensim.core.directory.UserSchema;
import org.licensim.core.event.Event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes events as the JSON Lines feed of docs/FORMATS.md, one line per event, in the form
 * {@link EventReader} reads back to equal events. Streams: nothing is kept per event.
 */
public final class EventWriter implements Closeable {
    private static final JsonFactory JSON = new JsonFactory();
    private final OutputStream out;
    private final JsonGenerator g;

    public EventWriter(OutputStream out) {
        this.out = out;
        try {
            this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.setRootValueSeparator(null);
    }

    public void write(Event e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq());
        g.writeStringField("time", e.time().toString());
        g.writeStringField("type", e.type());
        if (e instanceof Event.UserCreated x) {
            g.writeFieldName("user");
            writeUser(x.user(), true);
        } else if (e instanceof Event.UserDeleted x) {
            g.writeStringField("userId", x.userId());
        } else if (e instanceof Event.UserAttributesChanged x) {
            g.writeStringField("userId", x.userId());
            g.writeFieldName("attributes");
            writeUser(x.attributes(), false);
        } else if (e instanceof Event.MemberAdded x) {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("memberId", x.memberId());
        } else if (e instanceof Event.MemberRemoved x) {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("memberId", x.memberId());
        } else if (e instanceof Event.GroupCreated x) {
            g.writeObjectFieldStart("group");
            g.writeStringField("id", x.groupId());
            if (x.displayName() != null) {
                g.writeStringField("displayName", x.displayName());
            }
            g.writeBooleanField("securityEnabled", x.securityEnabled());
            g.writeStringField("membershipRule", x.membershipRule());
            g.writeStringField("membershipRuleProcessingState", x.paused() ? "Paused" : "On");
            strings("members", x.members());
            g.writeEndObject();
        } else if (e instanceof Event.GroupDeleted x) {
            g.writeStringField("groupId", x.groupId());
        } else if (e instanceof Event.GroupRuleChanged x) {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("membershipRule", x.membershipRule());
            g.writeStringField("membershipRuleProcessingState", x.paused() ? "Paused" : "On");
        } else if (e instanceof Event.LicenseAssignedToGroup x) {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("skuId", x.skuId());
            strings("disabledPlans", x.disabledPlans());
        } else if (e instanceof Event.LicenseRemovedFromGroup x) {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("skuId", x.skuId());
        } else if (e instanceof Event.GroupDisabledPlansChanged x) {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("skuId", x.skuId());
            strings("disabledPlans", x.disabledPlans());
        } else if (e instanceof Event.LicenseAssignedToUser x) {
            g.writeStringField("userId", x.userId());
            g.writeStringField("skuId", x.skuId());
            strings("disabledPlans", x.disabledPlans());
        } else if (e instanceof Event.LicenseRemovedFromUser x) {
            g.writeStringField("userId", x.userId());
            g.writeStringField("skuId", x.skuId());
        } else if (e instanceof Event.AssignLicense x) {
            if (x.userId() != null) {
                g.writeStringField("userId", x.userId());
            } else {
                g.writeStringField("groupId", x.groupId());
            }
            g.writeArrayFieldStart("addLicenses");
            for (Event.AddedLicense a : x.addLicenses()) {
                g.writeStartObject();
                g.writeStringField("skuId", a.skuId());
                strings("disabledPlans", a.disabledPlans());
                g.writeEndObject();
            }
            g.writeEndArray();
            strings("removeLicenses", x.removeLicenses());
        } else if (e instanceof Event.UnitsChanged x) {
            g.writeStringField("skuId", x.skuId());
            SnapshotWriter.writePrepaidUnits(g, x.prepaidUnits());
        } else if (e instanceof Event.Reprocess x) {
            if (x.userId() != null) {
                g.writeStringField("userId", x.userId());
            } else {
                g.writeStringField("groupId", x.groupId());
            }
        }
        g.writeEndObject();
        g.writeRaw('\n');
    }

    private void writeUser(UserData d, boolean withId) throws IOException {
        g.writeStartObject();
        if (withId) {
            g.writeStringField("id", d.id);
        }
        if (d.accountEnabled != null) {
            g.writeBooleanField("accountEnabled", d.accountEnabled);
        }
        if (d.hasUsageLocation) {
            g.writeStringField("usageLocation", d.usageLocation);
        }
        boolean ext = false;
        for (Map.Entry<String, String> s : d.strings.entrySet()) {
            if (UserSchema.isExtensionAttribute(s.getKey())) {
                ext = true;
            } else {
                g.writeStringField(s.getKey(), s.getValue());
            }
        }
        if (ext) {
            g.writeObjectFieldStart(UserSchema.EXTENSION_ATTRIBUTES);
            for (Map.Entry<String, String> s : d.strings.entrySet()) {
                if (UserSchema.isExtensionAttribute(s.getKey())) {
                    g.writeStringField(s.getKey(), s.getValue());
                }
            }
            g.writeEndObject();
        }
        for (Map.Entry<String, List<String>> m : d.multi.entrySet()) {
            strings(m.getKey(), m.getValue());
        }
        g.writeEndObject();
    }

    private void strings(String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    public void flush() throws IOException {
        g.flush();
    }

    @Override
    public void close() throws IOException {
        g.close();
        out.close();
    }
}
