#!/usr/bin/env Rscript
# Generator of recipes/src/test/resources/timeseries/comb-shd-fixture.json, the reference
# Comb S-H-D forecasts (the M3 combination benchmark: the mean of SES, Holt and damped-trend
# exponential smoothing on the seasonally adjusted series) that CombShdFixtureTest compares
# io.moezoo.recipes.timeseries.baseline.CombShd with.
#
# Needs Debian's R forecast package:  apt-get install -y r-cran-forecast  (r-cran-jsonlite comes
# with it). Run from the repository root:
#
#   Rscript recipes/src/test/r/comb-shd-fixture.R > recipes/src/test/resources/timeseries/comb-shd-fixture.json
#
# The series and the seasonality test are those of baseline-fixture.R (forecast::thetaf's test at
# the natural period m = frequency). A seasonal series is divided by its classical multiplicative
# decomposition (stats::decompose), unless a seasonal index is below 1e-4; the three models
# (ets ANN, AAN, AAdN, maximum likelihood) forecast the adjusted series as a ts of frequency 1, and
# the mean of their forecasts is multiplied by the seasonal component of the same phase.
source("recipes/src/test/r/fixture-series.R")

write_fixture("recipes/src/test/r/comb-shd-fixture.R", function(x, m, h) {
  n <- length(x)
  seasonal <- seasonal_test(x)$seasonal
  y <- as.numeric(x)
  future <- rep(1, h)
  if (seasonal) {
    d <- decompose(x, type = "multiplicative")
    if (all(abs(d$figure) >= 1e-4)) {
      s <- as.numeric(d$seasonal)
      y <- y / s
      future <- s[n - m + ((seq_len(h) - 1) %% m) + 1]
    }
  }
  z <- ts(y, frequency = 1)
  models <- list()
  total <- rep(0, h)
  for (spec in c("ANN", "AAN", "AAdN")) {
    fit <- ets(z, model = sub("d", "", spec), damped = grepl("d", spec), maxit = MAXIT)
    f <- as.numeric(forecast(fit, h = h)$mean)
    models[[spec]] <- list(aicc = fit$aicc, forecast = f)
    total <- total + f
  }
  list(
    values = as.numeric(x),
    period = m,
    horizon = h,
    seasonal = seasonal,
    models = models,
    comb_shd = total / 3 * future
  )
})
