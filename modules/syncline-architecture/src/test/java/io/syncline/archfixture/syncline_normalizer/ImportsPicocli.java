package io.syncline.archfixture.syncline_normalizer;

import picocli.CommandLine;

/** A domain-module class that imports picocli: commands belong in syncline-cli. */
public class ImportsPicocli {

    CommandLine commandLine;
}
