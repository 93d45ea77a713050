#!/usr/bin/env Rscript
# Generator of recipes/src/test/resources/timeseries/baseline-fixture.json, the reference
# forecasts that BaselineFixtureTest compares the Java baselines
# (io.moezoo.recipes.timeseries.baseline) with.
#
# Needs Debian's R forecast package:  apt-get install -y r-cran-forecast  (r-cran-jsonlite comes
# with it). Run from the repository root:
#
#   Rscript recipes/src/test/r/baseline-fixture.R > recipes/src/test/resources/timeseries/baseline-fixture.json
#
# Series: classic series of R's own datasets package (none is training data of the zoo's
# forecaster; co2 is left out because vega-datasets' co2-concentration overlaps it). For each
# series the script records
#   - the seasonality decision of forecast::thetaf (|r_m| > qnorm(0.95) * sqrt((1 + 2 sum r_k^2)/n),
#     n > 2m) at the natural period m = frequency,
#   - thetaf's point forecasts (which make that decision themselves),
#   - ets() estimates (par: alpha, beta, gamma, phi, l, b, s0 = most recent ... s(m-2)), point
#     forecasts and AICc for every additive-error model with a fixed spec (ANN, AAN, AAdN and, when
#     seasonal, ANA, AAA, AAdA), on a ts whose frequency is m when seasonal, else 1,
#   - the AICc-selected model of ets(additive.only = TRUE) on that ts and its forecasts.
# ets runs with maxit = 10000 instead of 2000 so that its Nelder-Mead stops by its tolerance
# (converged = whether it did) rather than by the iteration budget.
source("recipes/src/test/r/fixture-series.R")

write_fixture("recipes/src/test/r/baseline-fixture.R", function(x, m, h) {
  test <- seasonal_test(x)
  y <- if (test$seasonal) ts(as.numeric(x), frequency = m) else ts(as.numeric(x), frequency = 1)
  specs <- if (test$seasonal) c("ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA") else c("ANN", "AAN", "AAdN")
  models <- list()
  for (spec in specs) {
    damped <- grepl("d", spec)
    fit <- ets(y, model = sub("d", "", spec), damped = damped, maxit = MAXIT)
    models[[spec]] <- list(aicc = fit$aicc, par = as.numeric(fit$par),
                           converged = fit$fit$fncount < MAXIT,
                           forecast = as.numeric(forecast(fit, h = h)$mean))
  }
  auto <- ets(y, additive.only = TRUE, maxit = MAXIT)
  comps <- auto$components
  auto_name <- paste0(comps[1], comps[2], if (comps[4] == "TRUE") "d" else "", comps[3])
  list(
    values = as.numeric(x),
    period = m,
    horizon = h,
    seasonal = test$seasonal,
    statistic = test$statistic,
    theta = as.numeric(thetaf(x, h = h)$mean),
    ets = models,
    selected = list(model = auto_name, aicc = auto$aicc,
                    forecast = as.numeric(forecast(auto, h = h)$mean))
  )
})
