#!/usr/bin/env Rscript
# Generator of recipes/src/test/resources/timeseries/arima-fixture.json, the reference ARIMA fits
# that ArimaFixtureTest compares io.moezoo.recipes.timeseries.baseline.{Kpss, ArimaFit, AutoArima}
# with: R's forecast::auto.arima with conditional-sum-of-squares estimation (method = "CSS",
# approximation = FALSE, stepwise search, AICc) and stats::arima / forecast::Arima CSS fits of
# fixed orders.
#
# Needs Debian's R forecast package:  apt-get install -y r-cran-forecast  (urca and jsonlite come
# with it). Run from the repository root:
#
#   Rscript recipes/src/test/r/arima-fixture.R > recipes/src/test/resources/timeseries/arima-fixture.json
#
# The seasonal difference D is decided as the Java code decides it (strength of the additive
# classical decomposition above 0.64) and passed to auto.arima; R's own STL-based nsdiffs choice is
# recorded beside it. Everything else (first differences by KPSS, the search, the fits) is R's.
source("recipes/src/test/r/fixture-series.R")
suppressMessages(library(urca))

classical_strength <- function(x) {
  d <- decompose(x, type = "additive")
  detrended <- x - d$trend
  remainder <- detrended - d$seasonal
  max(0, 1 - var(remainder, na.rm = TRUE) / var(detrended, na.rm = TRUE))
}

fit_json <- function(fit, h) {
  arma <- fit$arma
  constant <- any(names(coef(fit)) %in% c("intercept", "drift"))
  list(
    order = c(arma[1], arma[6], arma[2], arma[3], arma[7], arma[4]),
    constant = constant,
    coefficients = I(as.numeric(coef(fit))),
    css_sigma2 = sum(residuals(fit)^2) / (length(fit$x) - fit$n.cond),
    aicc = fit$aicc,
    forecast = as.numeric(forecast(fit, h = h)$mean)
  )
}

write_fixture("recipes/src/test/r/arima-fixture.R", function(x, m, h) {
  n <- length(x)
  strength <- if (m > 1 && n > 2 * m) classical_strength(x) else 0
  D <- as.integer(strength > 0.64)
  dx <- if (D > 0) diff(x, lag = m) else x
  kpss <- ur.kpss(as.numeric(x), type = "mu", use.lag = trunc(3 * sqrt(n) / 13))@teststat
  auto <- auto.arima(x, D = D, method = "CSS", approximation = FALSE, stepwise = TRUE)
  o <- auto$arma
  drift <- "drift" %in% names(coef(auto))
  fixed <- Arima(x, order = c(o[1], o[6], o[2]), seasonal = list(order = c(o[3], o[7], o[4]), period = m),
                 include.mean = "intercept" %in% names(coef(auto)), include.drift = drift, method = "CSS")
  list(
    values = as.numeric(x),
    period = m,
    horizon = h,
    kpss = kpss,
    ndiffs = ndiffs(as.numeric(x)),
    ndiffs_after_seasonal = ndiffs(as.numeric(dx)),
    classical_strength = strength,
    seasonal_differences = D,
    nsdiffs_stl = if (m > 1) nsdiffs(x) else 0,
    auto = fit_json(auto, h),
    fixed = fit_json(fixed, h)
  )
})
