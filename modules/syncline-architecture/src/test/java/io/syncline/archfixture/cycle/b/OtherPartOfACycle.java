package io.syncline.archfixture.cycle.b;

import io.syncline.archfixture.cycle.a.PartOfACycle;

/** The other end of a package cycle: b imports a. */
public class OtherPartOfACycle {

    PartOfACycle other;
}
