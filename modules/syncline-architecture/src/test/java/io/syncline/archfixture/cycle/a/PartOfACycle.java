package io.syncline.archfixture.cycle.a;

import io.syncline.archfixture.cycle.b.OtherPartOfACycle;

/** One end of a package cycle: a imports b. */
public class PartOfACycle {

    OtherPartOfACycle other;
}
