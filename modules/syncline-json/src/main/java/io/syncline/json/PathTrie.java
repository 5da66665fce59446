package io.syncline.json;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of a JSON document a reader needs, as a tree of member names and array elements:
 * {@link PartialJsonReader} builds or visits only these and skips the rest. A node can be
 *
 * <ul>
 *   <li><b>whole</b>: read with everything under it (the end of a path {@link #add added} for a tree);</li>
 *   <li>a <b>capture</b> of one or more numbered slots (the end of a path {@link #capture captured} for its
 *       scalar value, as the gateway reads event ids);</li>
 *   <li>or an inner node that leads to those.</li>
 * </ul>
 *
 * <p>The token {@value #ANY_ELEMENT} stands for every element of an array. A token that is also an array index
 * ({@code 0}, {@code 12}) selects that element of an array, or that member of an object. An indexed element also
 * gets everything {@value #ANY_ELEMENT} asks for.
 *
 * <p>Built once, then only read: a trie is not safe to change while readers use it.
 */
public final class PathTrie {

    /** The token for every element of an array. */
    public static final String ANY_ELEMENT = "*";

    private static final PathTrie[] NO_INDEXES = new PathTrie[0];
    private static final int[] NO_SLOTS = new int[0];
    /** Index children beyond this are looked up by name only (an object member), never as array positions. */
    private static final int MAX_INDEXED = 4096;

    private final Map<String, PathTrie> children = new HashMap<>();
    private PathTrie anyElement;
    private PathTrie[] byIndex = NO_INDEXES;
    private int[] slots = NO_SLOTS;
    private boolean whole;

    /** A trie that reads everything. */
    public static PathTrie everything() {
        PathTrie t = new PathTrie();
        t.whole = true;
        return t;
    }

    /** A trie of pointers, each read whole. */
    public static PathTrie of(Pointer... pointers) {
        PathTrie t = new PathTrie();
        for (Pointer p : pointers) {
            t.add(p.names(), 0);
        }
        return t;
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    /** Everything under this node is needed. */
    public boolean whole() {
        return whole;
    }

    /** The node for an object member, or null when nothing under it is read. */
    public PathTrie child(String name) {
        return children.get(name);
    }

    /** The node for element {@code index} of an array, or null when nothing under it is read. */
    public PathTrie element(int index) {
        if (index < byIndex.length && byIndex[index] != null) {
            return byIndex[index];
        }
        return anyElement;
    }

    /** The node for every element of an array ({@value #ANY_ELEMENT}), or null. */
    public PathTrie anyElement() {
        return anyElement;
    }

    /** How many object members below this node are read: a tree node's expected size. */
    public int childCount() {
        return children.size();
    }

    /** True when some object member below this node is read. */
    public boolean readsMembers() {
        return !children.isEmpty();
    }

    /** True when some array element below this node is read. */
    public boolean readsElements() {
        return anyElement != null || byIndex.length > 0;
    }

    /** The capture slots at this node (empty when it captures nothing). Do not change the array. */
    public int[] slots() {
        return slots;
    }

    // ---- building ----------------------------------------------------------------------------------------------

    /** Adds a path from token {@code from} on; the node at its end is read whole, everything under it included. */
    public PathTrie add(String[] tokens, int from) {
        if (whole) {
            return this;
        }
        if (from == tokens.length) {
            markWhole();
            return this;
        }
        String token = tokens[from];
        if (token.equals(ANY_ELEMENT)) {
            for (PathTrie indexed : byIndex) {
                if (indexed != null) {
                    indexed.add(tokens, from + 1);
                }
            }
            return anyElementNode().add(tokens, from + 1);
        }
        return childNode(token).add(tokens, from + 1);
    }

    /** Adds a pointer, read whole. */
    public PathTrie add(Pointer pointer) {
        return add(pointer.names(), 0);
    }

    /** Adds a pointer whose scalar value is captured in {@code slot} (see {@link #slots()}); returns its node. */
    public PathTrie capture(Pointer pointer, int slot) {
        PathTrie node = node(pointer.names());
        node.slots = Arrays.copyOf(node.slots, node.slots.length + 1);
        node.slots[node.slots.length - 1] = slot;
        return node;
    }

    /** The node at a path, created without marking anything whole (a base that inner paths add to later). */
    public PathTrie node(String[] tokens) {
        PathTrie node = this;
        for (String token : tokens) {
            if (node.whole) {
                return node;
            }
            node = token.equals(ANY_ELEMENT) ? node.anyElementNode() : node.childNode(token);
        }
        return node;
    }

    /** Marks this node whole: everything under it is read. */
    public void markWhole() {
        whole = true;
        children.clear();
        anyElement = null;
        byIndex = NO_INDEXES;
    }

    /** Adds everything {@code other} reads under this node. */
    public void merge(PathTrie other) {
        if (whole) {
            return;
        }
        if (other.whole) {
            markWhole();
            return;
        }
        if (other.slots.length > 0) {
            int[] merged = Arrays.copyOf(slots, slots.length + other.slots.length);
            System.arraycopy(other.slots, 0, merged, slots.length, other.slots.length);
            slots = merged;
        }
        if (other.anyElement != null) {
            for (PathTrie indexed : byIndex) {
                if (indexed != null) {
                    indexed.merge(other.anyElement);
                }
            }
            anyElementNode().merge(other.anyElement);
        }
        for (Map.Entry<String, PathTrie> e : other.children.entrySet()) {
            childNode(e.getKey()).merge(e.getValue());
        }
    }

    private PathTrie anyElementNode() {
        if (anyElement == null) {
            anyElement = new PathTrie();
        }
        return anyElement;
    }

    private PathTrie childNode(String name) {
        PathTrie child = children.get(name);
        if (child != null) {
            return child;
        }
        child = new PathTrie();
        children.put(name, child);
        int index = Pointer.index(name);
        if (index >= 0 && index < MAX_INDEXED) {
            if (index >= byIndex.length) {
                byIndex = Arrays.copyOf(byIndex, index + 1);
            }
            byIndex[index] = child;
            if (anyElement != null) {
                // An element named by its index is also an element: it gets what every element gets.
                child.merge(anyElement);
            }
        }
        return child;
    }

    @Override
    public String toString() {
        if (whole) {
            return "*all*";
        }
        StringBuilder s = new StringBuilder();
        if (slots.length > 0) {
            s.append("slots").append(Arrays.toString(slots));
        }
        if (anyElement != null) {
            s.append("[*]=").append(anyElement);
        }
        if (!children.isEmpty()) {
            s.append(children);
        }
        return s.length() == 0 ? "{}" : s.toString();
    }
}
