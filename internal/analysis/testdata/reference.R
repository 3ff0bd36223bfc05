# Reference numbers for the Go tests of internal/analysis (TestReference),
# computed by R's eRm (CML Rasch) and psych (alpha).
#
# Regenerate (needs R with eRm and psych, e.g. on Debian:
#   apt-get install r-base-core r-cran-erm r-cran-psych):
#
#   cd internal/analysis/testdata && Rscript reference.R
#
# The script (re)writes, from lsat6.txt and fixed seeds:
#   lsat6.csv     LSAT section 6 as a 0/1 matrix (1000 x 5)
#   booklets.csv  an incomplete design: 3 booklets of 15 items over 30
#                 items, each sharing 5 items with the next (400 persons
#                 each; empty cell = not presented)
#   missing.csv   20 items x 500 persons with 10 % of the cells missing
#                 at random (about 480 distinct booklets)
#   reference.csv dataset,item,stat,value
# CI never runs R: the Go tests read these files.
#
# Conventions, so that like is compared with like:
# - eRm's RM() estimates easiness parameters beta with sum(beta) = 0; the
#   difficulty is b = -beta (and se.beta is its SE).
# - eRm's itemfit() uses the person ML estimates of person.parameter() and
#   leaves out the persons with an extreme score on their booklet
#   (pers.ex); outfit = mean of squared standardised residuals over the
#   item's responses, infit = sum of squared residuals / sum of variances.
# - psych::alpha: raw_alpha (= KR-20 for 0/1 items), alpha.drop$raw_alpha
#   (alpha if item deleted) and item.stats$r.drop (item vs rest score).

suppressPackageStartupMessages({
  library(eRm)
  library(psych)
})

out <- NULL
add <- function(ds, item, stat, value) {
  out <<- rbind(out, data.frame(dataset = ds, item = item, stat = stat,
                                value = sprintf("%.10g", value)))
}

write_matrix <- function(M, file) {
  df <- data.frame(person = sprintf("p%04d", seq_len(nrow(M))), M, check.names = FALSE)
  write.csv(df, file, row.names = FALSE, na = "", quote = FALSE)
}

rasch <- function(ds, M) {
  fit <- RM(M)  # CML, sum-zero
  items <- colnames(M)
  add(ds, items, "b", -fit$betapar)
  add(ds, items, "se", fit$se.beta)
  add(ds, "", "loglik", fit$loglik)
  pp <- person.parameter(fit)
  add(ds, "", "persons", nrow(M) - length(pp$pers.ex))
  f <- itemfit(pp)
  add(ds, items, "infit", f$i.infitMSQ)
  add(ds, items, "outfit", f$i.outfitMSQ)
}

classical <- function(ds, M) {
  a <- psych::alpha(as.data.frame(M), check.keys = FALSE, warnings = FALSE)
  add(ds, "", "alpha", a$total$raw_alpha)
  add(ds, colnames(M), "alpha_drop", a$alpha.drop$raw_alpha)
  add(ds, colnames(M), "r_drop", a$item.stats$r.drop)
}

# LSAT6 from the published pattern table.
pt <- read.table("lsat6.txt", colClasses = c("character", "integer"))
L <- do.call(rbind, lapply(seq_len(nrow(pt)), function(i)
  matrix(as.integer(strsplit(pt[i, 1], "")[[1]]), nrow = pt[i, 2], ncol = 5, byrow = TRUE)))
colnames(L) <- paste0("I", 1:5)
write_matrix(L, "lsat6.csv")
rasch("lsat6", L)
classical("lsat6", L)

# An incomplete design: three booklets linked by common items.
set.seed(20261201)
nI <- 30
b <- rnorm(nI)
books <- list(1:15, 11:25, c(21:30, 1:5))
B <- do.call(rbind, lapply(books, function(bk) {
  n <- 400
  th <- rnorm(n, mean = 0.3)
  M <- matrix(NA_integer_, n, nI)
  P <- plogis(outer(th, b[bk], "-"))
  M[, bk] <- (matrix(runif(n * length(bk)), n) < P) * 1L
  M
}))
colnames(B) <- sprintf("Q%02d", 1:nI)
write_matrix(B, "booklets.csv")
rasch("booklets", B)

# Cells missing at random.
set.seed(7)
nI2 <- 20
b2 <- rnorm(nI2)
th2 <- rnorm(500)
M <- (matrix(runif(500 * nI2), 500) < plogis(outer(th2, b2, "-"))) * 1L
M[matrix(runif(500 * nI2), 500) < 0.1] <- NA
colnames(M) <- sprintf("R%02d", 1:nI2)
write_matrix(M, "missing.csv")
rasch("missing", M)

write.csv(out, "reference.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("R %s, eRm %s, psych %s\n", getRversion(), packageVersion("eRm"), packageVersion("psych")),
    file = "reference.version")
