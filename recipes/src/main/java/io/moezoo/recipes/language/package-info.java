/** The Brown-corpus language models of the zoo: their specs, training and publication. */
package io.moezoo.recipes.language;
