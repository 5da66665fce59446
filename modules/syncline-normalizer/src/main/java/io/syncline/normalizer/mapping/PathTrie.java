package io.syncline.normalizer.mapping;

import java.util.HashMap;
import java.util.Map;

/**
 * The JSON paths a set of mappings reads, as a tree: the parser builds only these parts of a raw record and skips
 * the rest. A leaf (or a node marked whole) is read with everything under it; {@code *} stands for every element of
 * an array.
 */
public final class PathTrie {

    static final String ANY_ELEMENT = "*";

    private final Map<String, PathTrie> children = new HashMap<>();
    private boolean whole;

    /** Everything under this node is needed. */
    public boolean whole() {
        return whole;
    }

    /** The child for a member name (or {@code *}), or null when nothing under it is read. */
    public PathTrie child(String name) {
        return children.get(name);
    }

    /** How many members or elements below this node are read: a tree node's expected size. */
    public int childCount() {
        return children.size();
    }

    public boolean hasChildren() {
        return !children.isEmpty();
    }

    /** Adds a path: the node at its end is read whole, everything under it included. */
    PathTrie add(String[] segments, int from) {
        PathTrie node = this;
        for (int i = from; i < segments.length; i++) {
            if (node.whole) {
                return node;
            }
            node = node.children.computeIfAbsent(segments[i], k -> new PathTrie());
        }
        node.markWhole();
        return node;
    }

    /** The node at a path, created without marking anything whole (a base whose inner paths add children). */
    PathTrie node(String[] segments) {
        PathTrie node = this;
        for (String s : segments) {
            if (node.whole) {
                return node;
            }
            node = node.children.computeIfAbsent(s, k -> new PathTrie());
        }
        return node;
    }

    void markWhole() {
        whole = true;
        children.clear();
    }

    /** Adds everything {@code other} reads under this node. */
    void merge(PathTrie other) {
        if (whole) {
            return;
        }
        if (other.whole) {
            markWhole();
            return;
        }
        for (Map.Entry<String, PathTrie> e : other.children.entrySet()) {
            children.computeIfAbsent(e.getKey(), k -> new PathTrie()).merge(e.getValue());
        }
    }

    /** A trie that reads everything. */
    static PathTrie everything() {
        PathTrie t = new PathTrie();
        t.whole = true;
        return t;
    }

    @Override
    public String toString() {
        return whole ? "*all*" : children.toString();
    }
}
