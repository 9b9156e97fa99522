from django.urls import path

from . import views

app_name = 'checkout'
urlpatterns = [
    path('payment-details/', views.PaymentDetailsView.as_view(), name='payment-details'),
    path('thank-you/<str:number>/', views.ThankYouView.as_view(), name='thank-you'),
]
