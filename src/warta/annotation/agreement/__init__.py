"""Inter-annotator agreement over warta annotation records.

Label Studio Community has no agreement metrics; these are warta's. Every metric is a pure
function over counts, equal to a named reference implementation (scikit-learn's
``cohen_kappa_score``, statsmodels' ``fleiss_kappa``, the ``krippendorff`` package's nominal
``alpha``) and differentially tested against it.
"""

from warta.annotation.agreement.compute import agreement_of_documents, compute_agreement
from warta.annotation.agreement.report import AgreementReport

__all__ = ["AgreementReport", "agreement_of_documents", "compute_agreement"]
