"""Order pages: worklists, writing and signing, approval, verification, dispensing, the order sheet."""

from django.urls import path

from ivig.orders import views, views_approval, views_pharmacy, views_sheet, views_worklist

app_name = "orders"

urlpatterns = [
    path("", views_worklist.worklist, name="worklist"),
    path("new/<int:patient_pk>/", views.order_new, name="new"),
    path("preview/", views.order_preview, name="preview"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/edit/", views.order_edit, name="edit"),
    path("<int:pk>/sign/", views.order_sign, name="sign"),
    path("<int:pk>/revise/", views.order_revise, name="revise"),
    path("<int:pk>/repeat/", views.order_repeat, name="repeat"),
    path("<int:pk>/cancel/", views.order_cancel, name="cancel"),
    path("<int:pk>/verify/", views_pharmacy.order_verify, name="verify"),
    path("<int:pk>/dispense/", views_pharmacy.order_dispense, name="dispense"),
    path("<int:pk>/decide/", views_approval.order_decide, name="decide"),
    path("<int:pk>/sheet/", views_sheet.order_sheet, name="sheet"),
    path("<int:pk>/sheet.pdf", views_sheet.order_sheet_pdf, name="sheet_pdf"),
    path("criteria/", views_approval.criteria_list, name="criteria"),
    path("criteria/<str:indication>/new/", views_approval.criteria_new, name="criteria_new"),
]
