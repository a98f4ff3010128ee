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
        e.accept(fields);
        g.writeEndObject();
        g.writeRaw('\n');
    }

    /** The fields of each event type after seq, time and type. */
    private final Event.Handler<IOException> fields = new Event.Handler<>() {
        @Override
        public void on(Event.UserCreated x) throws IOException {
            g.writeFieldName("user");
            writeUser(x.user(), true);
        }

        @Override
        public void on(Event.UserDeleted x) throws IOException {
            g.writeStringField("userId", x.userId());
        }

        @Override
        public void on(Event.UserAttributesChanged x) throws IOException {
            g.writeStringField("userId", x.userId());
            g.writeFieldName("attributes");
            writeUser(x.attributes(), false);
        }

        @Override
        public void on(Event.MemberAdded x) throws IOException {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("memberId", x.memberId());
        }

        @Override
        public void on(Event.MemberRemoved x) throws IOException {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("memberId", x.memberId());
        }

        @Override
        public void on(Event.GroupCreated x) throws IOException {
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
        }

        @Override
        public void on(Event.GroupDeleted x) throws IOException {
            g.writeStringField("groupId", x.groupId());
        }

        @Override
        public void on(Event.GroupRuleChanged x) throws IOException {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("membershipRule", x.membershipRule());
            g.writeStringField("membershipRuleProcessingState", x.paused() ? "Paused" : "On");
        }

        @Override
        public void on(Event.LicenseAssignedToGroup x) throws IOException {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("skuId", x.skuId());
            strings("disabledPlans", x.disabledPlans());
        }

        @Override
        public void on(Event.LicenseRemovedFromGroup x) throws IOException {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("skuId", x.skuId());
        }

        @Override
        public void on(Event.GroupDisabledPlansChanged x) throws IOException {
            g.writeStringField("groupId", x.groupId());
            g.writeStringField("skuId", x.skuId());
            strings("disabledPlans", x.disabledPlans());
        }

        @Override
        public void on(Event.LicenseAssignedToUser x) throws IOException {
            g.writeStringField("userId", x.userId());
            g.writeStringField("skuId", x.skuId());
            strings("disabledPlans", x.disabledPlans());
        }

        @Override
        public void on(Event.LicenseRemovedFromUser x) throws IOException {
            g.writeStringField("userId", x.userId());
            g.writeStringField("skuId", x.skuId());
        }

        @Override
        public void on(Event.AssignLicense x) throws IOException {
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
        }

        @Override
        public void on(Event.UnitsChanged x) throws IOException {
            g.writeStringField("skuId", x.skuId());
            SnapshotWriter.writePrepaidUnits(g, x.prepaidUnits());
        }

        @Override
        public void on(Event.Reprocess x) throws IOException {
            if (x.userId() != null) {
                g.writeStringField("userId", x.userId());
            } else {
                g.writeStringField("groupId", x.groupId());
            }
        }
    };

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
