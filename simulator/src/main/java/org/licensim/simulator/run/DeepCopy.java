package org.licensim.simulator.run;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A structural copy of a simulation's object graph (its engine, tenant, store, population and
 * recorder), for runs that share a day 0: the day-0 tenant is made once and each run continues
 * from its own copy, which then behaves exactly as the original would (hash tables keep their
 * capacity and buckets, so every iteration order is the same).
 *
 * <p>Immutable values (strings, boxed numbers, enums, {@code java.time} values, patterns) and the
 * read-only configuration of a run (the catalog and the scenario) are shared, not copied.
 * Everything else is copied field by field: arrays, the engine's classes, the JDK's and the
 * libraries' collections. Records and lambdas, whose fields reflection may not write, are made
 * again through their constructors from copied values; a regex {@link Matcher} (always reset
 * before use) becomes a new matcher of its pattern. What cannot be copied faithfully (threads,
 * class loaders, references, identity-hashed keys) is refused with an {@link IllegalStateException}
 * naming it, never copied wrongly.
 *
 * <p>Copying JDK collections needs {@code java.util} open to this code (the parent pom's
 * {@code licensim.jvm.flags} open it); {@link #available()} says whether it is.
 */
final class DeepCopy {
    private static final sun.misc.Unsafe UNSAFE = unsafe();
    private static final Map<Class<?>, Field[]> FIELDS = new ConcurrentHashMap<>();
    /** Packages whose objects are read-only configuration of a run: shared between copies. */
    private static final List<String> SHARED_PACKAGES = List.of("org.licensim.core.catalog.",
            "org.licensim.simulator.scenario.");

    /** Objects the last copy made: the next one's table starts that big rather than growing to it. */
    private static volatile int lastCount = 64;

    private final IdentityHashMap<Object, Object> copies = new IdentityHashMap<>(lastCount);
    private final ArrayDeque<Object[]> toFill = new ArrayDeque<>();

    private DeepCopy() {
    }

    /** Whether the JDK's collections can be copied here ({@code java.util} open to this module). */
    static boolean available() {
        return UNSAFE != null && Object.class.getModule().isOpen("java.util", DeepCopy.class.getModule());
    }

    /** A copy of everything {@code root} reaches, sharing only immutable values and configuration. */
    @SuppressWarnings("unchecked")
    static <T> T of(T root) {
        DeepCopy c = new DeepCopy();
        T out = (T) c.copy(root);
        c.drain();
        lastCount = c.copies.size();
        return out;
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean shared(Object v) {
        return SHARED.get(v.getClass());
    }

    /** Whether a class's instances are immutable values or configuration (decided once per class). */
    private static final ClassValue<Boolean> SHARED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> k) {
            if (String.class == k || Boolean.class == k || Character.class == k || Enum.class.isAssignableFrom(k)
                    || Class.class == k || Pattern.class == k) {
                return true;
            }
            String name = k.getName();
            if (Number.class.isAssignableFrom(k)) {
                return name.startsWith("java.lang.") || name.startsWith("java.math.");
            }
            if (name.startsWith("java.time.") && !java.time.Clock.class.isAssignableFrom(k)) {
                return true; // values (LocalDate, Instant, ZoneOffset, ...); a Clock would be state
            }
            for (String p : SHARED_PACKAGES) {
                if (name.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
    };

    /** The copy of {@code v}: shared, already made, or made now (its fields filled by {@link #drain}). */
    private Object copy(Object v) {
        if (v == null || shared(v)) {
            return v;
        }
        Object done = copies.get(v);
        if (done != null) {
            return done;
        }
        Class<?> k = v.getClass();
        Object c;
        if (k.isArray()) {
            int n = Array.getLength(v);
            Class<?> e = k.getComponentType();
            if (e.isPrimitive() || Modifier.isFinal(e.getModifiers()) && SHARED.get(e)) { // e.g. String[]
                c = Array.newInstance(e, n);
                System.arraycopy(v, 0, c, 0, n);
                copies.put(v, c);
                return c;
            }
            c = Array.newInstance(k.getComponentType(), n);
        } else if (v instanceof Matcher m) {
            c = m.pattern().matcher("");
            copies.put(v, c);
            return c;
        } else if (k.isRecord()) {
            c = record(v, k);
            copies.put(v, c);
            return c;
        } else if (k.isHidden()) {
            c = lambda(v, k);
            copies.put(v, c);
            return c;
        } else if (v instanceof java.util.HashMap<?, ?> m && identityKeyed(m)) {
            return rehashed(m);
        } else {
            refuseState(v, k);
            try {
                c = UNSAFE.allocateInstance(k);
            } catch (InstantiationException e) {
                throw new IllegalStateException("cannot copy a " + k.getName(), e);
            }
        }
        copies.put(v, c);
        toFill.add(new Object[] {v, c});
        return c;
    }

    /**
     * Whether the keys of {@code m} hash by identity (a copied key would land in another bucket);
     * a table mixing them with keys hashed by content is refused.
     */
    private static boolean identityKeyed(java.util.HashMap<?, ?> m) {
        int identity = 0;
        for (Object key : m.keySet()) {
            if (key != null && !shared(key) && hashesByIdentity(key)) {
                identity++;
            }
        }
        if (identity > 0 && identity < m.size()) {
            throw new IllegalStateException("cannot copy a hash table whose keys hash partly by identity");
        }
        return identity > 0;
    }

    private static boolean hashesByIdentity(Object key) {
        try {
            return key.getClass().getMethod("hashCode").getDeclaringClass() == Object.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A table keyed by identity, filled again with the copied keys in its order: its iteration
     * order followed the identity hashes, which differ from one JVM to the next, so no result can
     * depend on it.
     */
    private Object rehashed(java.util.HashMap<?, ?> m) {
        java.util.HashMap<Object, Object> c;
        if (m.getClass() == java.util.LinkedHashMap.class) {
            c = new java.util.LinkedHashMap<>();
        } else if (m.getClass() == java.util.HashMap.class) {
            c = new java.util.HashMap<>();
        } else {
            throw new IllegalStateException("cannot copy a " + m.getClass().getName() + " keyed by identity");
        }
        copies.put(m, c);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            c.put(copy(e.getKey()), copy(e.getValue()));
        }
        return c;
    }

    private static void refuseState(Object v, Class<?> k) {
        if (v instanceof Thread || v instanceof ClassLoader || v instanceof java.lang.ref.Reference<?>
                || v instanceof java.util.concurrent.Executor || v instanceof IdentityHashMap<?, ?>
                || v instanceof java.io.Closeable || v instanceof java.nio.Buffer) {
            throw new IllegalStateException("cannot copy a " + k.getName() + ": it is not state a copy can have");
        }
    }

    private void drain() {
        Object[] job;
        while ((job = toFill.poll()) != null) {
            fill(job[0], job[1]);
        }
    }

    private void fill(Object from, Object to) {
        if (from.getClass().isArray()) {
            Object[] a = (Object[]) from;
            Object[] b = (Object[]) to;
            for (int i = 0; i < a.length; i++) {
                b[i] = copy(a[i]);
            }
            return;
        }
        try {
            for (Field f : fields(from.getClass())) {
                Class<?> t = f.getType();
                if (!t.isPrimitive()) {
                    Object v = f.get(from);
                    if (v != null && "key".equals(f.getName()) && isHashNode(from)) {
                        checkHashable(v);
                    }
                    f.set(to, copy(v));
                } else if (t == int.class) {
                    f.setInt(to, f.getInt(from));
                } else if (t == long.class) {
                    f.setLong(to, f.getLong(from));
                } else if (t == boolean.class) {
                    f.setBoolean(to, f.getBoolean(from));
                } else if (t == double.class) {
                    f.setDouble(to, f.getDouble(from));
                } else if (t == byte.class) {
                    f.setByte(to, f.getByte(from));
                } else if (t == short.class) {
                    f.setShort(to, f.getShort(from));
                } else if (t == char.class) {
                    f.setChar(to, f.getChar(from));
                } else {
                    f.setFloat(to, f.getFloat(from));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot copy a " + from.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHashNode(Object o) {
        return HASH_NODE.get(o.getClass());
    }

    /** The entries of the JDK's hash tables, whose {@code key} must not hash by identity. */
    private static final ClassValue<Boolean> HASH_NODE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> k) {
            String n = k.getName();
            return n.startsWith("java.util.") && (n.endsWith("$Node") || n.endsWith("$TreeNode") || n.endsWith("$Entry"));
        }
    };

    /** A key whose hash is its identity would land in another bucket once copied. */
    private static void checkHashable(Object key) {
        if (shared(key)) {
            return;
        }
        if (hashesByIdentity(key)) {
            throw new IllegalStateException("cannot copy a hash table keyed by identity (" + key.getClass().getName() + ")");
        }
    }

    /** The instance fields of {@code k} and its superclasses, accessible. */
    private static Field[] fields(Class<?> k) {
        Field[] f = FIELDS.get(k);
        if (f == null) {
            List<Field> out = new ArrayList<>();
            for (Class<?> c = k; c != null; c = c.getSuperclass()) {
                for (Field x : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(x.getModifiers())) {
                        try {
                            x.setAccessible(true);
                        } catch (InaccessibleObjectException e) {
                            throw new IllegalStateException("cannot copy a " + k.getName() + ": " + e.getMessage(), e);
                        }
                        out.add(x);
                    }
                }
            }
            f = out.toArray(Field[]::new);
            FIELDS.put(k, f);
        }
        return f;
    }

    /** A record made again from its copied components (reflection may not write a record's fields). */
    private Object record(Object v, Class<?> k) {
        RecordComponent[] rc = k.getRecordComponents();
        Class<?>[] types = new Class<?>[rc.length];
        Object[] values = new Object[rc.length];
        try {
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                Field f = k.getDeclaredField(rc[i].getName());
                f.setAccessible(true);
                values[i] = copyComplete(f.get(v));
            }
            Constructor<?> ctor = k.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(values);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot copy the record " + k.getName() + ": " + e, e);
        }
    }

    /** A lambda made again through its class's constructor, with its captured values copied. */
    private Object lambda(Object v, Class<?> k) {
        Field[] captured = k.getDeclaredFields();
        List<Field> args = new ArrayList<>();
        for (Field f : captured) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            if (!f.getName().startsWith("arg$")) {
                throw new IllegalStateException("cannot copy " + k.getName() + ": not a lambda");
            }
            args.add(f);
        }
        args.sort(Comparator.comparingInt(f -> Integer.parseInt(f.getName().substring(4))));
        Constructor<?>[] ctors = k.getDeclaredConstructors();
        if (ctors.length != 1 || ctors[0].getParameterCount() != args.size()) {
            throw new IllegalStateException("cannot copy " + k.getName() + ": not a lambda");
        }
        try {
            Object[] values = new Object[args.size()];
            for (int i = 0; i < values.length; i++) {
                Field f = args.get(i);
                f.setAccessible(true);
                values[i] = copy(f.get(v));
            }
            ctors[0].setAccessible(true);
            return ctors[0].newInstance(values);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot copy the lambda " + k.getName() + ": " + e, e);
        }
    }

    /** A record's component, filled before the record is made (its constructor may read it). */
    private Object copyComplete(Object v) {
        Object c = copy(v);
        drain();
        return c;
    }
}
